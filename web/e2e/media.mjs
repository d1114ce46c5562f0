// End-to-end scenario for media attachments, called by run.mjs. It stands alone:
// importing run.mjs would start its run.
//
//   const { imageBytes } = await mediaScenario(page, { baseUrl, files: { jpeg, mp4 } });
//
// `page` is signed in (a token in localStorage, as after sign-up). The rule allows 1 video
// alone, so it posts two tweets: the JPEG with a description, then the MP4. It returns the
// served image's bytes so the caller can check that the GPS EXIF of `files.jpeg` is gone.

const TIMEOUT = 15_000;
/** A video is converted before it can be posted; give the server time for a short clip. */
const PROCESSING_TIMEOUT = 60_000;
const ALT_TEXT = 'A test photograph whose location must not survive the upload';

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function apiGet(page, baseUrl, path) {
  const token = await page.evaluate(() => localStorage.getItem('starling.token'));
  assert(token, 'the page is not signed in');
  const r = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert(r.ok, `GET ${path}: ${r.status}`);
  return r.json();
}

/** Attaches one file in the main composer, waits until it is uploaded and processed, and posts it. */
async function postWithMedia(page, { path, text, altText }) {
  const form = page.getByRole('form', { name: 'Compose a tweet' });
  await form.getByLabel('Add media').setInputFiles(path);
  const item = form.getByRole('list', { name: 'Attached media' }).getByRole('listitem').first();
  await item.waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(
    () => document.querySelector('form[aria-label="Compose a tweet"] li.attachment')?.getAttribute('data-phase') === 'ready',
    undefined,
    { timeout: PROCESSING_TIMEOUT },
  );
  if (altText) {
    await item.getByRole('button', { name: 'Add description' }).click();
    await item.getByRole('textbox', { name: 'Description' }).fill(altText);
    await item.getByRole('button', { name: 'Save description' }).click();
    await item.getByRole('button', { name: 'Edit description' }).waitFor({ timeout: TIMEOUT });
    assert((await item.getByText('No description').count()) === 0, 'the "No description" reminder stayed after saving one');
  }
  await form.getByRole('textbox', { name: /what’s happening/i }).fill(text);
  const post = form.getByRole('button', { name: 'Post', exact: true });
  assert(await post.isEnabled(), 'Post is disabled with a ready attachment');
  await post.click();
  const posted = page.locator('article:not([data-tweet-id^="pending:"])', { hasText: text }).first();
  await posted.waitFor({ timeout: TIMEOUT });
  const id = await posted.getAttribute('data-tweet-id');
  assert(id && /^\d+$/.test(id), `posted tweet id ${id}`);
  return { id, card: posted };
}

/**
 * Posts a JPEG (described) and an MP4 in two tweets, checks how each is shown, and returns
 * the bytes of the image as served.
 */
export async function mediaScenario(page, { baseUrl, files }) {
  assert(files?.jpeg && files?.mp4, 'mediaScenario needs files.jpeg and files.mp4');
  await page.goto(`${baseUrl}/home`);
  await page.getByRole('form', { name: 'Compose a tweet' }).waitFor({ timeout: TIMEOUT });

  // ---- the image
  const image = await postWithMedia(page, { path: files.jpeg, text: `A photo, described ${Date.now()}`, altText: ALT_TEXT });
  const img = image.card.locator('.media-grid img').first();
  await img.waitFor({ timeout: TIMEOUT });
  assert((await img.getAttribute('alt')) === ALT_TEXT, `img alt: ${await img.getAttribute('alt')}`);
  await page.waitForFunction(
    (id) => {
      const el = document.querySelector(`article[data-tweet-id="${id}"] .media-grid img`);
      return !!el && el.complete && el.naturalWidth > 0;
    },
    image.id,
    { timeout: TIMEOUT },
  );
  const currentSrc = await img.evaluate((el) => el.currentSrc);
  const tweet = await apiGet(page, baseUrl, `/api/tweets/${image.id}`);
  const media = tweet.media?.[0];
  assert(media && media.type === 'image' && media.state === 'ready', `tweet media: ${JSON.stringify(tweet.media)}`);
  assert(media.altText === ALT_TEXT, `altText: ${media.altText}`);
  assert(media.url, 'the image has no url');

  // The full-size file (what the EXIF check needs), fetched as the page would: same origin, same token.
  const imageUrl = new URL(media.url, baseUrl).href;
  const base64 = await page.evaluate(async (url) => {
    const token = localStorage.getItem('starling.token');
    const r = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, imageUrl);
  const imageBytes = Buffer.from(base64, 'base64');
  assert(imageBytes.length > 0, 'the served image is empty');

  // ---- the video
  const video = await postWithMedia(page, { path: files.mp4, text: `A short clip ${Date.now()}` });
  const player = video.card.locator('video').first();
  await player.waitFor({ timeout: TIMEOUT });
  assert((await player.getAttribute('controls')) !== null, 'the video has no controls');
  const readyState = await player.evaluate(async (el, timeoutMs) => {
    el.muted = true;
    // play() may be refused (autoplay policy); reaching HAVE_CURRENT_DATA is what matters.
    await el.play().catch(() => {});
    const deadline = Date.now() + timeoutMs;
    while (el.readyState < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    return el.readyState;
  }, TIMEOUT);
  if (readyState < 2) throw new Error(`the video did not reach readyState 2 within 15 s (readyState ${readyState})`);

  return { imageBytes, imageUrl, currentSrc, imageTweetId: image.id, videoTweetId: video.id };
}
