// Deep imports of the ESM build keep the bundle to parseTweet and what it needs
// (the package index pulls in every autolink helper).
declare module 'twitter-text/dist/esm/parseTweet' {
  import type { parseTweet } from 'twitter-text';
  const fn: typeof parseTweet;
  export default fn;
}
declare module 'twitter-text/dist/esm/configs' {
  import type { ParseTweetOptions } from 'twitter-text';
  const configs: { version1: ParseTweetOptions; version2: ParseTweetOptions; version3: ParseTweetOptions; defaults: ParseTweetOptions };
  export default configs;
}
