/**
 * The keyspace explorer: the keys of a database as a tree or a list, the selected key's value with
 * a viewer per type, edits that run as commands (logged as redis-cli lines), all live with the
 * keyspace events. Every value is rendered as React text, never as markup.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore, type FormEvent, type ReactNode } from 'react';
import { utf8ToBinary } from '../../engine/util/bytes';
import { displayName, formatBytes, formatSize, formatTtl, KEY_TYPES, utf8Text, viewString } from './format';
import { ExplorerModel, type Details, type ValueView } from './model';
import { VirtualRows } from './VirtualRows';

const ROW_HEIGHT = 24;
const LIST_HEIGHT = 288;
/** What a person types is text; keys and values go to the server as its UTF-8 bytes. */
const b = utf8ToBinary;

const TYPE_LABEL: Record<string, string> = { string: 'STR', list: 'LIST', hash: 'HASH', set: 'SET', zset: 'ZSET', stream: 'STRM' };

function TypeBadge({ type }: { type: string | undefined }) {
  return <span className={`kx-type kx-type-${type ?? 'unknown'}`}>{type === undefined ? '…' : (TYPE_LABEL[type] ?? type)}</span>;
}

export function Explorer() {
  const model = useMemo(() => new ExplorerModel(), []);
  useEffect(() => {
    model.start();
    return () => model.stop();
  }, [model]);
  useSyncExternalStore(model.subscribe, model.getVersion);
  return (
    <aside className="explorer" data-testid="explorer" aria-label="Keyspace explorer">
      <KeyBrowser model={model} />
      <KeyPanel model={model} />
      <CreateKey model={model} />
      <ActionLog model={model} />
    </aside>
  );
}

// ---- the key list ----

function KeyBrowser({ model }: { model: ExplorerModel }) {
  const [pattern, setPattern] = useState('*');
  const [typeFilter, setTypeFilter] = useState('');
  // A pattern is applied once typing pauses: each change is a new SCAN.
  useEffect(() => {
    const t = setTimeout(() => {
      const p = pattern === '' ? '*' : pattern;
      if (b(p) !== model.pattern || typeFilter !== model.typeFilter) model.setFilter(b(p), typeFilter);
    }, 250);
    return () => clearTimeout(t);
  }, [pattern, typeFilter, model]);

  const rows = model.rows();
  const onRange = useCallback(
    (start: number, end: number) => {
      const shown = model.rows().slice(start, end);
      model.ensureTypes(shown.flatMap((r) => (r.kind === 'key' ? [r.key] : [])));
      if (end >= model.rows().length - 40) void model.loadMore();
    },
    [model],
  );
  const loaded = model.keys.length;
  const summary = model.down
    ? `127.0.0.1:6379 is down (killed): the keys as they were; restart it in the Nodes panel`
    : model.complete
    ? `${loaded.toLocaleString('en-US')} key${loaded === 1 ? '' : 's'}`
    : `${loaded.toLocaleString('en-US')} of ${model.dbsize === null ? '?' : model.dbsize.toLocaleString('en-US')} keys loaded${model.loading ? ' · scanning…' : ' · scroll for more'}`;

  return (
    <section className="kx-browser">
      <div className="kx-toolbar">
        <strong>Keys</strong>
        <label>
          db{' '}
          <select data-testid="explorer-db" value={model.db} onChange={(e) => void model.selectDb(Number(e.target.value))}>
            {Array.from({ length: model.databases }, (_, i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </label>
        <span className="kx-mode" role="group" aria-label="View">
          <button type="button" data-testid="explorer-tree" aria-pressed={model.mode === 'tree'} onClick={() => model.setMode('tree')}>
            tree
          </button>
          <button type="button" data-testid="explorer-list" aria-pressed={model.mode === 'list'} onClick={() => model.setMode('list')}>
            list
          </button>
        </span>
      </div>
      <div className="kx-toolbar">
        <input
          className="kx-pattern"
          data-testid="explorer-pattern"
          aria-label="SCAN MATCH pattern"
          title="SCAN ... MATCH pattern"
          value={pattern}
          onChange={(e) => setPattern(e.target.value)}
        />
        <select data-testid="explorer-type" aria-label="SCAN TYPE" value={typeFilter} onChange={(e) => setTypeFilter(e.target.value)}>
          <option value="">all types</option>
          {KEY_TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label title="Group keys into folders at this delimiter">
          by{' '}
          <input className="kx-delim" data-testid="explorer-delimiter" value={model.delimiter} onChange={(e) => model.setDelimiter(b(e.target.value))} />
        </label>
      </div>
      <div className="kx-summary" data-testid="explorer-summary" data-status={model.down ? 'down' : 'up'}>
        {summary}
      </div>
      <VirtualRows
        testId="explorer-rows"
        count={rows.length}
        rowHeight={ROW_HEIGHT}
        height={LIST_HEIGHT}
        rowKey={(i) => {
          const r = rows[i];
          return r.kind === 'key' ? 'k' + r.key : 'f' + r.path;
        }}
        onRange={onRange}
        render={(i) => {
          const r = rows[i];
          const indent = { paddingLeft: 6 + r.depth * 14 };
          if (r.kind === 'folder') {
            return (
              <div
                className="kx-row kx-folder"
                style={indent}
                data-testid="explorer-folder"
                data-path={displayName(r.path)}
                role="button"
                tabIndex={0}
                aria-expanded={r.open}
                onClick={() => model.toggleFolder(r.path)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') model.toggleFolder(r.path);
                }}
              >
                <span className="kx-caret">{r.open ? '▾' : '▸'}</span>
                <span className="kx-name">{displayName(r.name)}</span>
                <span className="kx-count">
                  {r.count.toLocaleString('en-US')}
                  {model.complete ? '' : '+'}
                </span>
              </div>
            );
          }
          const info = model.info.get(r.key);
          const cls = ['kx-row', 'kx-key'];
          if (r.key === model.selected) cls.push('selected');
          if (info?.gone) cls.push('gone');
          return (
            <div
              className={cls.join(' ')}
              style={indent}
              data-testid="explorer-key"
              data-key={displayName(r.key)}
              data-gone={info?.gone ?? undefined}
              role="button"
              tabIndex={0}
              onClick={() => model.select(r.key)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') model.select(r.key);
              }}
            >
              <TypeBadge type={info?.type} />
              <span className="kx-name">{r.name === '' ? '(empty)' : displayName(r.name)}</span>
              {info?.gone && <span className="kx-gone">{info.gone}</span>}
            </div>
          );
        }}
      />
    </section>
  );
}

// ---- the selected key ----

function Ttl({ expiresAt }: { expiresAt: number | null }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (expiresAt === null) return;
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, [expiresAt]);
  const left = expiresAt === null ? null : Math.max(0, expiresAt - now);
  return (
    <span className={`kx-badge ${left === null ? '' : 'kx-ttl-live'}`} data-testid="key-ttl" title="PTTL, counting down">
      TTL {formatTtl(left)}
    </span>
  );
}

function KeyPanel({ model }: { model: ExplorerModel }) {
  const d = model.details;
  if (model.selected === null) {
    return (
      <section className="kx-details kx-empty" data-testid="key-details">
        Select a key to see its value. Edits run as commands; the log below shows each one as you would type it in redis-cli.
      </section>
    );
  }
  if (d === null || d.key !== model.selected) {
    return (
      <section className="kx-details" data-testid="key-details">
        <div className="kx-keyname">{displayName(model.selected)}</div>
        <div className="kx-muted">{model.detailsError ?? 'loading…'}</div>
      </section>
    );
  }
  return (
    <section className={`kx-details${d.gone ? ' gone-key' : ''}`} data-testid="key-details" data-key={displayName(d.key)}>
      <div className="kx-keyname" data-testid="key-name">
        {displayName(d.key)}
      </div>
      <div className="kx-badges">
        <span className={`kx-badge kx-type-${d.type}`} data-testid="key-type">
          {d.type}
        </span>
        {d.encoding !== null && (
          <span className="kx-badge" data-testid="key-encoding" title="OBJECT ENCODING">
            {d.encoding}
          </span>
        )}
        {d.value.kind === 'string' && d.value.hll !== null && <span className="kx-badge">HyperLogLog</span>}
        <Ttl expiresAt={d.gone ? null : d.expiresAt} />
        {d.size !== null && (
          <span className="kx-badge" data-testid="key-size">
            {formatSize(d.type, d.size)}
          </span>
        )}
        <span className="kx-badge" data-testid="key-memory" title="MEMORY USAGE">
          {d.memory === null ? 'memory n/a' : formatBytes(d.memory)}
        </span>
        {d.gone && (
          <span className="kx-badge kx-gone-badge" data-testid="key-gone">
            {d.gone}
          </span>
        )}
      </div>
      {!d.gone && <KeyActions model={model} d={d} />}
      {/* A vanished key keeps its last value on screen, read-only. */}
      <fieldset className="kx-fieldset" disabled={d.gone !== null}>
        <ValueViewer model={model} d={d} />
      </fieldset>
    </section>
  );
}

/** A small form: inputs, a button; calls onSubmit with the values and clears them. */
function MiniForm({
  fields,
  button,
  onSubmit,
  testId,
}: {
  fields: { name: string; placeholder: string; width?: number }[];
  button: string;
  onSubmit: (values: string[]) => void;
  testId?: string;
}) {
  const [values, setValues] = useState<string[]>(() => fields.map(() => ''));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSubmit(values);
    setValues(fields.map(() => ''));
  };
  return (
    <form className="kx-form" onSubmit={submit} data-testid={testId}>
      {fields.map((f, i) => (
        <input
          key={f.name}
          name={f.name}
          placeholder={f.placeholder}
          aria-label={f.placeholder}
          style={f.width ? { width: f.width } : undefined}
          value={values[i] ?? ''}
          onChange={(e) => setValues((vs) => vs.map((v, j) => (j === i ? e.target.value : v)))}
        />
      ))}
      <button type="submit">{button}</button>
    </form>
  );
}

function KeyActions({ model, d }: { model: ExplorerModel; d: Details }) {
  return (
    <div className="kx-actions">
      <MiniForm testId="rename" fields={[{ name: 'to', placeholder: 'new name' }]} button="RENAME" onSubmit={([to]) => void model.rename(b(to))} />
      <MiniForm
        testId="expire"
        fields={[{ name: 'seconds', placeholder: 'seconds', width: 70 }]}
        button="EXPIRE"
        onSubmit={([s]) => void model.run(['EXPIRE', d.key, s.trim()])}
      />
      {d.expiresAt !== null && (
        <button type="button" data-testid="persist" onClick={() => void model.run(['PERSIST', d.key])}>
          PERSIST
        </button>
      )}
      <button type="button" className="kx-danger" data-testid="delete-key" onClick={() => void model.run(['DEL', d.key])}>
        DEL
      </button>
    </div>
  );
}

/** A value as text (any bytes shown readably), with an edit button that opens an input. */
function Editable({ value, onSave, label }: { value: string; onSave?: (v: string) => void; label: string }) {
  const [editing, setEditing] = useState<string | null>(null);
  if (editing !== null && onSave) {
    return (
      <form
        className="kx-inline"
        onSubmit={(e) => {
          e.preventDefault();
          onSave(b(editing));
          setEditing(null);
        }}
      >
        <input autoFocus aria-label={`new ${label}`} value={editing} onChange={(e) => setEditing(e.target.value)} />
        <button type="submit">save</button>
        <button type="button" onClick={() => setEditing(null)}>
          cancel
        </button>
      </form>
    );
  }
  const t = utf8Text(value);
  return (
    <span className="kx-cell">
      <span className="kx-text">{displayName(value)}</span>
      {onSave && t !== null && (
        <button type="button" className="kx-icon" aria-label={`edit ${label}`} title="edit" onClick={() => setEditing(t)}>
          ✎
        </button>
      )}
    </span>
  );
}

function Remove({ onClick, label }: { onClick: () => void; label: string }) {
  return (
    <button type="button" className="kx-icon kx-danger" aria-label={`remove ${label}`} title="remove" onClick={onClick}>
      ×
    </button>
  );
}

function More({ model, shown, total, hasMore }: { model: ExplorerModel; shown: number; total: number | null; hasMore: boolean }) {
  if (!hasMore) return null;
  return (
    <div className="kx-more">
      <span className="kx-muted">
        showing {shown.toLocaleString('en-US')}
        {total !== null ? ` of ${total.toLocaleString('en-US')}` : ''}
      </span>{' '}
      <button type="button" data-testid="load-more-value" onClick={() => void model.loadMoreValue()}>
        load more
      </button>
    </div>
  );
}

function Table({ head, children }: { head: string[]; children: ReactNode }) {
  return (
    <div className="kx-table-wrap">
      <table className="kx-table">
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function ValueViewer({ model, d }: { model: ExplorerModel; d: Details }) {
  const v: ValueView = d.value;
  const key = d.key;
  const run = (...args: string[]): void => void model.run(args);
  let body: ReactNode;
  switch (v.kind) {
    case 'string': {
      const whole = v.value.length >= v.total;
      const view = viewString(v.value);
      body = (
        <>
          {v.hll !== null && (
            <div className="kx-hll" data-testid="hll-count">
              PFCOUNT → {v.hll.toLocaleString('en-US')} (estimated cardinality)
            </div>
          )}
          {v.hll === null && (
            <>
              <div className="kx-muted">{view.kind === 'json' ? 'JSON, pretty-printed' : view.kind === 'hex' ? 'binary, as hex' : 'text'}</div>
              <pre className="kx-pre" data-testid="string-value">
                {view.text}
              </pre>
              <More model={model} shown={v.value.length} total={v.total} hasMore={!whole} />
              {whole && view.kind !== 'hex' && <StringEditor key={v.value} value={utf8Text(v.value) ?? ''} onSave={(s) => run('SET', key, b(s), 'KEEPTTL')} />}
            </>
          )}
          {v.hll !== null && <MiniForm fields={[{ name: 'element', placeholder: 'element' }]} button="PFADD" onSubmit={([e]) => run('PFADD', key, b(e))} />}
        </>
      );
      break;
    }
    case 'list':
      body = (
        <>
          <Table head={['index', 'value', '']}>
            {v.items.map((item, i) => (
              <tr key={i}>
                <td className="kx-num">{i}</td>
                <td>
                  <Editable value={item} label={`element ${i}`} onSave={(nv) => run('LSET', key, String(i), nv)} />
                </td>
                <td>
                  <Remove label={`element ${i}`} onClick={() => run('LREM', key, '1', item)} />
                </td>
              </tr>
            ))}
          </Table>
          <More model={model} shown={v.items.length} total={v.total} hasMore={v.items.length < v.total} />
          <MiniForm testId="add-element" fields={[{ name: 'value', placeholder: 'value' }]} button="RPUSH" onSubmit={([x]) => run('RPUSH', key, b(x))} />
        </>
      );
      break;
    case 'hash':
      body = (
        <>
          <Table head={['field', 'value', '']}>
            {v.entries.map(([f, val]) => (
              <tr key={f}>
                <td>
                  <span className="kx-text">{displayName(f)}</span>
                </td>
                <td>
                  <Editable value={val} label={`field ${displayName(f)}`} onSave={(nv) => run('HSET', key, f, nv)} />
                </td>
                <td>
                  <Remove label={`field ${displayName(f)}`} onClick={() => run('HDEL', key, f)} />
                </td>
              </tr>
            ))}
          </Table>
          <More model={model} shown={v.entries.length} total={d.size} hasMore={v.cursor !== '0'} />
          <MiniForm
            testId="add-element"
            fields={[{ name: 'field', placeholder: 'field' }, { name: 'value', placeholder: 'value' }]}
            button="HSET"
            onSubmit={([f, x]) => run('HSET', key, b(f), b(x))}
          />
        </>
      );
      break;
    case 'set':
      body = (
        <>
          <Table head={['member', '']}>
            {v.members.map((m) => (
              <tr key={m}>
                <td>
                  <span className="kx-text">{displayName(m)}</span>
                </td>
                <td>
                  <Remove label={`member ${displayName(m)}`} onClick={() => run('SREM', key, m)} />
                </td>
              </tr>
            ))}
          </Table>
          <More model={model} shown={v.members.length} total={d.size} hasMore={v.cursor !== '0'} />
          <MiniForm testId="add-element" fields={[{ name: 'member', placeholder: 'member' }]} button="SADD" onSubmit={([m]) => run('SADD', key, b(m))} />
        </>
      );
      break;
    case 'zset':
      body = (
        <>
          {v.geo && <div className="kx-muted">scores look like geohashes: coordinates from GEOPOS</div>}
          <Table head={v.geo ? ['rank', 'member', 'score', 'longitude, latitude', ''] : ['rank', 'member', 'score', '']}>
            {v.entries.map(([m, score], i) => (
              <tr key={m}>
                <td className="kx-num">{i}</td>
                <td>
                  <span className="kx-text">{displayName(m)}</span>
                </td>
                <td className="kx-num">
                  <Editable value={score} label={`score of ${displayName(m)}`} onSave={(ns) => run('ZADD', key, ns, m)} />
                </td>
                {v.geo && <td className="kx-num">{v.geo[i] ? `${Number(v.geo[i][0]).toFixed(6)}, ${Number(v.geo[i][1]).toFixed(6)}` : '?'}</td>}
                <td>
                  <Remove label={`member ${displayName(m)}`} onClick={() => run('ZREM', key, m)} />
                </td>
              </tr>
            ))}
          </Table>
          <More model={model} shown={v.entries.length} total={v.total} hasMore={v.entries.length < v.total} />
          <MiniForm
            testId="add-element"
            fields={[{ name: 'score', placeholder: 'score', width: 70 }, { name: 'member', placeholder: 'member' }]}
            button="ZADD"
            onSubmit={([s, m]) => run('ZADD', key, s.trim(), b(m))}
          />
          {v.geo && (
            <MiniForm
              testId="add-geo"
              fields={[{ name: 'lon', placeholder: 'longitude', width: 80 }, { name: 'lat', placeholder: 'latitude', width: 80 }, { name: 'member', placeholder: 'member' }]}
              button="GEOADD"
              onSubmit={([lon, lat, m]) => run('GEOADD', key, lon.trim(), lat.trim(), b(m))}
            />
          )}
        </>
      );
      break;
    case 'stream':
      body = (
        <>
          <Table head={['ID', 'fields', '']}>
            {v.entries.map((e) => (
              <tr key={e.id}>
                <td className="kx-num">{e.id}</td>
                <td>
                  {e.fields.map(([f, x], i) => (
                    <div key={i} className="kx-text">
                      {displayName(f)}: {displayName(x)}
                    </div>
                  ))}
                </td>
                <td>
                  <Remove label={`entry ${e.id}`} onClick={() => run('XDEL', key, e.id)} />
                </td>
              </tr>
            ))}
          </Table>
          <More model={model} shown={v.entries.length} total={v.total} hasMore={v.entries.length < v.total} />
          <MiniForm
            testId="add-element"
            fields={[{ name: 'field', placeholder: 'field' }, { name: 'value', placeholder: 'value' }]}
            button="XADD *"
            onSubmit={([f, x]) => run('XADD', key, '*', b(f), b(x))}
          />
          {v.groups.length > 0 && (
            <div className="kx-groups" data-testid="stream-groups">
              <div className="kx-muted">consumer groups (XINFO GROUPS, XPENDING)</div>
              {v.groups.map((g) => (
                <div key={g.name} className="kx-group">
                  <div>
                    <strong className="kx-text">{displayName(g.name)}</strong> · {g.consumers} consumers · {g.pending} pending · last delivered {g.lastDelivered}
                  </div>
                  {g.pendingEntries.map((p) => (
                    <div key={p.id} className="kx-pending kx-text">
                      {p.id} → {displayName(p.consumer)} (idle {p.idle} ms, delivered {p.deliveries}×)
                    </div>
                  ))}
                </div>
              ))}
            </div>
          )}
        </>
      );
      break;
    default:
      body = <div className="kx-muted">{v.message}</div>;
  }
  return (
    <div className="kx-value" data-testid="value-view" data-kind={v.kind}>
      {body}
    </div>
  );
}

function StringEditor({ value, onSave }: { value: string; onSave: (s: string) => void }) {
  const [draft, setDraft] = useState(value);
  return (
    <form
      className="kx-string-edit"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(draft);
      }}
    >
      <textarea data-testid="string-editor" aria-label="new value" rows={3} value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button type="submit" data-testid="string-save" disabled={draft === value}>
        SET … KEEPTTL
      </button>
    </form>
  );
}

// ---- creating keys ----

const CREATE_TYPES: Record<string, { fields: { name: string; placeholder: string; width?: number }[]; args: (key: string, v: string[]) => string[] }> = {
  string: { fields: [{ name: 'value', placeholder: 'value' }], args: (k, [v]) => ['SET', k, b(v)] },
  list: { fields: [{ name: 'value', placeholder: 'first element' }], args: (k, [v]) => ['RPUSH', k, b(v)] },
  hash: { fields: [{ name: 'field', placeholder: 'field' }, { name: 'value', placeholder: 'value' }], args: (k, [f, v]) => ['HSET', k, b(f), b(v)] },
  set: { fields: [{ name: 'member', placeholder: 'member' }], args: (k, [m]) => ['SADD', k, b(m)] },
  zset: { fields: [{ name: 'score', placeholder: 'score', width: 60 }, { name: 'member', placeholder: 'member' }], args: (k, [s, m]) => ['ZADD', k, s.trim(), b(m)] },
  stream: { fields: [{ name: 'field', placeholder: 'field' }, { name: 'value', placeholder: 'value' }], args: (k, [f, v]) => ['XADD', k, '*', b(f), b(v)] },
  hyperloglog: { fields: [{ name: 'element', placeholder: 'element' }], args: (k, [e]) => ['PFADD', k, b(e)] },
  geo: {
    fields: [{ name: 'lon', placeholder: 'lon', width: 60 }, { name: 'lat', placeholder: 'lat', width: 60 }, { name: 'member', placeholder: 'member' }],
    args: (k, [lon, lat, m]) => ['GEOADD', k, lon.trim(), lat.trim(), b(m)],
  },
};

function CreateKey({ model }: { model: ExplorerModel }) {
  const [type, setType] = useState('string');
  const [name, setName] = useState('');
  const spec = CREATE_TYPES[type];
  return (
    <details className="kx-create" data-testid="create-key">
      <summary>New key</summary>
      <div className="kx-form">
        <select aria-label="type of the new key" data-testid="create-type" value={type} onChange={(e) => setType(e.target.value)}>
          {Object.keys(CREATE_TYPES).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <input aria-label="key name" placeholder="key name" data-testid="create-name" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <MiniForm
        key={type}
        testId="create-form"
        fields={spec.fields}
        button="create"
        onSubmit={async (values) => {
          if (name === '') return;
          const key = b(name);
          const r = await model.run(spec.args(key, values));
          if (r.type !== 'error') {
            setName('');
            model.select(key);
          }
        }}
      />
    </details>
  );
}

// ---- the action log ----

function ActionLog({ model }: { model: ExplorerModel }) {
  return (
    <section className="kx-log" data-testid="explorer-log" aria-live="polite">
      <div className="kx-muted">Commands the explorer ran for your edits:</div>
      {model.log.length === 0 && <div className="kx-muted">none yet</div>}
      {model.log
        .slice()
        .reverse()
        .map((e, i) => (
          <div key={model.log.length - i} className="kx-log-entry" data-testid="log-entry">
            <div className="kx-log-line">{e.line}</div>
            <div className={e.error ? 'kx-log-reply error' : 'kx-log-reply'}>{e.reply}</div>
          </div>
        ))}
    </section>
  );
}
