import { Fragment } from 'react';

/** A URL that wraps after a slash, `?` or `&` (where a reader expects it), not mid-word. */
export function UrlText({ url }: { url: string }) {
  const parts = url.split(/(?<=[/?&])(?!\/)/);
  return (
    <code className="url-text">
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </code>
  );
}
