// Vite's raw imports: the text of a file (the lab bundles the example models this way).
declare module "*?raw" {
  const text: string;
  export default text;
}
