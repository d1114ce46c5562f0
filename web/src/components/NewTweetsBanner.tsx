/** "3 new tweets": shown instead of moving what the reader is reading; a click puts them on top. */
export function NewTweetsBanner({ count, onShow }: { count: number; onShow: () => void }) {
  if (count === 0) return null;
  return (
    <div className="new-tweets" role="status">
      <button type="button" className="primary pill" onClick={onShow}>
        Show {count} new {count === 1 ? 'tweet' : 'tweets'}
      </button>
    </div>
  );
}
