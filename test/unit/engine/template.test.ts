import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTemplate, type LogEvent, TemplateSyntaxError } from '../../../src/engine/index.ts';
import { record } from './records.ts';

const event: LogEvent = {
  record: {
    ...record('logs', 3, 77),
    key: Buffer.from('kube.var.log.containers.web'),
    headers: { cluster: Buffer.from('prod-eu') },
  },
  body: {
    log: 'hello',
    level: '',
    topic: 'body-topic',
    n: 5,
    kubernetes: {
      container_name: 'web',
      labels: { app: 'shop', 'app.kubernetes.io/name': 'shop-web' },
      container_id: null,
    },
  },
  timeMs: 0,
  meta: {},
};

const render = (source: string, escape?: (v: string) => string): string =>
  compileTemplate(source).render(event, escape);

describe('templates', () => {
  it('renders fields, nested paths and bracketed keys', () => {
    expect(render('acme/${kubernetes.labels.app}/${kubernetes.container_name}')).toBe('acme/shop/web');
    expect(render('${kubernetes.labels["app.kubernetes.io/name"]}')).toBe('shop-web');
    expect(render("${kubernetes.labels['app.kubernetes.io/name']}")).toBe('shop-web');
    expect(render('n=${n}')).toBe('n=5');
  });

  it('applies defaults when a value is missing, empty or null, and nests them', () => {
    expect(render('${level:-info}')).toBe('info');
    expect(render('${kubernetes.container_id:-none}')).toBe('none');
    expect(render('${kubernetes.cluster:-${header.cluster:-unknown}}')).toBe('prod-eu');
    expect(render('${nope:-${nada:-unknown}}')).toBe('unknown');
    expect(render('${nope}')).toBe('');
  });

  it('reads the record: key, topic, partition, offset, headers; bracket reaches a body field of that name', () => {
    expect(render('${key}|${topic}|${partition}|${offset}|${header.cluster}')).toBe(
      'kube.var.log.containers.web|logs|3|77|prod-eu',
    );
    expect(render('${["topic"]}')).toBe('body-topic');
  });

  it('escapes substituted values only, and writes $$ as $', () => {
    expect(render('a/${kubernetes.labels["app.kubernetes.io/name"]}/$$', (v) => v.replace(/\//g, '_'))).toBe(
      'a/shop-web/$',
    );
  });

  it('reports syntax errors with their position', () => {
    expect(() => compileTemplate('a/${b')).toThrow(TemplateSyntaxError);
    expect(() => compileTemplate('${}')).toThrow(/empty reference/);
    expect(() => compileTemplate('${a["b}')).toThrow(/unclosed \[/);
    expect(() => compileTemplate('${a:-x')).toThrow(/unclosed/);
  });

  it('knows constants', () => {
    expect(compileTemplate('main').constant).toBe(true);
    expect(compileTemplate('${a}').constant).toBe(false);
  });

  it('never throws while rendering, whatever the template', () => {
    fc.assert(
      fc.property(fc.string(), (source) => {
        let template;
        try {
          template = compileTemplate(source);
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateSyntaxError);
          return;
        }
        expect(typeof template.render(event)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });
});
