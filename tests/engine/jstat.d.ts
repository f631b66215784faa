// jstat ships no types; declare only what the engine tests use as an independent reference.
declare module 'jstat' {
  interface Distribution {
    inv(p: number, ...parameters: number[]): number;
  }
  const jStat: { studentt: Distribution; normal: Distribution };
  export default jStat;
}
