/** Get-AppLockerFileInformation in TypeScript: see fileinfo.ts and docs/fileinfo.md. */
export { getFileInformation, getFileInformationFromSource } from './fileinfo'
export type { FileInfo, FileInfoOptions, FileKind, FilePublisher, FileSignature } from './fileinfo'
export { blobSource, bytesSource, type ByteSource } from './source'
