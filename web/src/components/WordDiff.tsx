import { diffWords } from 'diff';

/** The change from `before` to `after`, word by word: removals struck through, additions highlighted. */
export function WordDiff({ before, after }: { before: string; after: string }) {
  const parts = diffWords(before, after);
  return (
    <p className="tweet-text diff">
      {parts.map((p, i) =>
        p.added ? (
          <ins key={i} title="added">
            {p.value}
          </ins>
        ) : p.removed ? (
          <del key={i} title="removed">
            {p.value}
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </p>
  );
}
