/** The sample policy's model as JSON text, read from sample-policy.xml at build time (vite.config.ts). */
declare module 'virtual:sample-policy' {
  const json: string
  export default json
}
