#!/usr/bin/env python3
"""The HTML reader through the CLI against an independent reading.

Python's html.parser gives each document's text content, keeping to the
reader's rules by its own means (only the first <article>, else <main>,
else <body>; no script, style, noscript, template, head, form controls,
embedded content, svg, math, rp, hidden elements; an rt's text in
parentheses; a rule's U+2015; figures' images drawn, so no alt text).
`jikji layout --json --format html` must hold exactly that text in its
lines, white space aside, and its title, headings and captions must be
the documents' own.

Usage: test_html.py JIKJI TESTS_DIR (JIKJI_FONT_DIR set by meson)
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile

DROPPED = {'script', 'style', 'noscript', 'template', 'head', 'title',
           'form', 'input', 'select', 'option', 'optgroup', 'datalist',
           'textarea', 'button', 'iframe', 'object', 'embed', 'applet',
           'video', 'audio', 'canvas', 'svg', 'math', 'rp', 'noembed',
           'noframes'}
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link',
        'meta', 'param', 'source', 'track', 'wbr'}
HEADINGS = {'h1', 'h2', 'h3', 'h4', 'h5', 'h6'}


def hidden(attrs):
    a = dict((k, v or '') for k, v in attrs)
    style = a.get('style', '').replace(' ', '').lower()
    return ('hidden' in a or a.get('aria-hidden', '').strip().lower() == 'true'
            or 'display:none' in style)


class Reference(html.parser.HTMLParser):
    """Text content of the article root, with the reader's exclusions."""

    def __init__(self, root):
        super().__init__(convert_charrefs=True)
        self.root = root          # 'article', 'main' or 'body'
        self.inside = 0           # depth inside the root (the first one)
        self.done = False
        self.skip = 0             # open dropped or hidden elements
        self.stack = []           # (tag, dropped)
        self.text = []
        self.headings = []        # texts of h1..h6 (and captions)
        self.current = None       # collecting a heading's text

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if self.inside and not self.skip and tag == 'hr':
                self.text.append('\u2015')
            return
        drop = tag in DROPPED or hidden(attrs)
        self.stack.append((tag, drop))
        if drop:
            self.skip += 1
        if tag == self.root and not self.done:
            self.inside += 1
        if self.inside and not self.skip:
            if tag == 'rt':
                self.text.append('(')
            if tag in HEADINGS or tag in ('figcaption', 'caption'):
                self.current = []

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # close up to the matching open element (html.parser does not)
        while self.stack:
            t, drop = self.stack.pop()
            if drop:
                self.skip -= 1
            if self.inside and not self.skip:
                if t == 'rt':
                    self.text.append(')')
                if (t in HEADINGS or t in ('figcaption', 'caption')) and \
                        self.current is not None:
                    self.headings.append(''.join(self.current).strip())
                    self.current = None
            if t == self.root and self.inside:
                self.inside -= 1
                if not self.inside:
                    self.done = True
            if t == tag:
                break

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.text.append(data)
            if self.current is not None:
                self.current.append(data)


def article_root(source):
    low = source.lower()
    if '<article' in low:
        return 'article'
    if '<main' in low:
        return 'main'
    return 'body'


def stripped(s):
    return ''.join(c for c in s if not c.isspace())


def jikji_lines(jikji, path):
    out = subprocess.run(
        [jikji, 'layout', '--json', '--format', 'html', '--no-hyphenate',
         path], check=True, capture_output=True)
    doc = json.loads(out.stdout.decode('utf-8'))
    return [line for page in doc['pages'] for line in page['lines']]


failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print('test_html: check failed:', what, file=sys.stderr)


def compare(jikji, path, kinds=()):
    with open(path, encoding='utf-8') as f:
        source = f.read()
    ref = Reference(article_root(source))
    if ref.root == 'body' and '<body' not in source.lower():
        ref.inside = 1  # an implied body
    ref.feed(source)
    ref.close()
    want = stripped(''.join(ref.text))
    lines = jikji_lines(jikji, path)
    got = stripped(''.join(line['text'] for line in lines))
    if got != want:
        k = 0
        while k < min(len(got), len(want)) and got[k] == want[k]:
            k += 1
        check(False, '%s: the lines differ from the text content at %d: '
              'lines ...%s... want ...%s...' % (
                  os.path.basename(path), k, got[max(0, k - 20):k + 20],
                  want[max(0, k - 20):k + 20]))
    else:
        check(True, '')
    # Blocks: titles, headings and captions are the document's own.
    blocks = {}
    for line in lines:
        blocks.setdefault(line['block'], [line['kind'], ''])
        blocks[line['block']][1] += line['text']
    own = set(stripped(h) for h in ref.headings)
    for kind, text in blocks.values():
        if kind in ('title', 'heading', 'caption'):
            check(stripped(text) in own, '%s: %s "%s" is not the document\'s'
                  % (os.path.basename(path), kind, text))
    seen = set(kind for kind, _ in blocks.values())
    for kind in kinds:
        check(kind in seen, '%s: no %s block' % (os.path.basename(path), kind))
    return len(lines)


def layout(jikji, path, *options):
    out = subprocess.run(
        [jikji, 'layout', '--json', '--no-hyphenate', path] + list(options),
        capture_output=True)
    return out.returncode, json.loads(out.stdout.decode('utf-8') or 'null'), \
        out.stderr.decode('utf-8')


def check_structure(jikji, path, source):
    """The JSON's structure fields for constructs.html."""
    _, doc, _ = layout(jikji, path)
    lines = [line for page in doc['pages'] for line in page['lines']]
    src = source.encode('utf-8')

    def line_of(text):
        return next((l for l in lines if text in l['text']), None)

    def span_text(span):
        # a span starts at its text and ends where the next text starts
        # (an end tag between belongs to it)
        return re.sub(r'<[^>]*>', '',
                      src[span['start']:span['end']].decode('utf-8'))

    first = line_of('첫 문단')
    styles = {(sp['style'], span_text(sp)) for sp in first['spans']}
    check(('bold', '굵게') in styles and ('italic', '기울여') in styles and
          ('code', 'code()') in styles and ('link', '링크') in styles,
          'spans of the first paragraph: %s' % sorted(styles))
    link = next(sp for sp in first['spans'] if sp['style'] == 'link')
    check(link.get('href') == 'https://example.org/', 'href %s' % link)
    check(all('href' not in sp for sp in first['spans'] if sp is not link),
          'href only on links')
    check('\u00a0' in first['text'], '&nbsp; stays a no-break space')
    last = line_of('H2O')
    styles = {(sp['style'], span_text(sp)) for sp in last['spans']}
    check({('sub', '2'), ('sup', '2'), ('strike', '지움'),
           ('underline', '밑줄')} <= styles, 'spans %s' % sorted(styles))
    check(line_of('소제목').get('level') == 2, 'h2 is level 2')
    items = [(l['text'], l.get('depth'), l.get('marker'))
             for l in lines if l['kind'] == 'list']
    check(items == [('하나', 1, '\u2022'), ('둘', 1, '\u2022'),
                    ('셋', 2, '3.'), ('넷', 2, '4.')], 'list items %s' % items)
    check(line_of('인용').get('quote_depth') == 1 and
          line_of('인용')['kind'] == 'quote', 'the quote')
    rows = [l for l in lines if l['kind'] == 'table']
    check(len(rows) == 3 and rows[0]['spans'] and
          rows[0]['spans'][0]['style'] == 'bold', 'table rows %s' % rows)
    check(all(page['figures'] == [] for page in doc['pages']),
          'no figures in constructs.html')


def check_figures(jikji, tests, tmp):
    """Figures in the JSON: where each is drawn, its source and status;
    a missing one a placeholder, with a warning."""
    rc, doc, err = layout(jikji, os.path.join(tests, 'ko-grok-news.html'))
    figures = [f for page in doc['pages'] for f in page['figures']]
    check(rc == 0 and [f['src'] for f in figures] ==
          ['figures/grok-%d.%s' % (i, 'jpg' if i < 3 else 'png')
           for i in range(1, 5)], 'figures %s' % figures)
    w, h = doc['page']['width'], doc['page']['height']
    for f in figures:
        check(f['status'] == 'ok' and f['width'] > 0 and f['height'] > 0 and
              0 <= f['x'] and f['x'] + f['width'] <= w and 0 <= f['y'] and
              f['y'] + f['height'] <= h, 'figure %s' % f)
    check(err == '', 'no warning: %r' % err)
    path = os.path.join(tmp, 'missing.html')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<p>앞</p><figure><img src="nothere.jpg" alt="없는 사진">'
                '<figcaption>설명</figcaption></figure>'
                '<figure><img src="../outside.png" alt="밖"></figure>')
    rc, doc, err = layout(jikji, path)
    lines = [l for page in doc['pages'] for l in page['lines']]
    check(rc == 0 and [l['text'] for l in lines if l['kind'] == 'figure'] ==
          ['없는 사진', '밖'], 'placeholders %s' % lines)
    figures = [(f['src'], f['status']) for page in doc['pages']
               for f in page['figures']]
    check(figures == [('nothere.jpg', 'missing'),
                      ('../outside.png', 'refused')],
          'placeholders in the figures: %s' % figures)
    check('nothere.jpg' in err and 'missing' in err and
          '../outside.png' in err and 'refused' in err,
          'warnings: %r' % err)


def main():
    jikji, tests = sys.argv[1], sys.argv[2]
    n = compare(jikji, os.path.join(tests, 'ko-grok-news.html'),
                ('title', 'byline', 'heading', 'paragraph', 'caption',
                 'figure'))
    check(n > 50, 'ko-grok-news.html: %d lines' % n)
    compare(jikji, os.path.join(tests, 'structured.html'),
            ('title', 'byline', 'heading', 'paragraph', 'caption', 'quote',
             'list', 'code', 'table', 'figure'))
    # Small documents of every construct, some of them sloppy.
    docs = {
        'constructs.html':
            '<!doctype html><title>Not the title</title><body>'
            '<nav>Home | News</nav><article><h1>제목 &amp; 부제</h1>'
            '<p class=byline>글 김기자 <time>2024-06-15</time></p>'
            '<p>첫 문단, <b>굵게</b> <i>기울여</i> <code>code()</code>'
            '&nbsp;그리고 <a href="https://example.org/">링크</a>.<br>'
            '다음 줄</p><h2>소제목</h2>'
            '<ul><li>하나</li><li>둘<ol start=3><li>셋</li><li>넷</li></ol>'
            '</li></ul><blockquote><p>인용 <q>말</q></p></blockquote><hr>'
            '<pre>  들여쓴 코드\n\t탭</pre>'
            '<table><caption>표 제목</caption><thead><tr><th>이름</th>'
            '<th>값</th></tr></thead><tbody><tr><td>가</td><td>1</td></tr>'
            '<tr><td>나</td><td></td></tr></tbody></table>'
            '<p><ruby>漢字<rp>(</rp><rt>한자</rt><rp>)</rp></ruby>와 '
            'H<sub>2</sub>O, x<sup>2</sup>, <s>지움</s>, <u>밑줄</u></p>'
            '<p hidden>숨김</p><div aria-hidden="true">숨김</div>'
            '<script>document.write("<p>스크립트</p>")</script>'
            '<form><p>폼</p><input value=입력><button>버튼</button></form>'
            '<svg><text>그림 글자</text></svg>'
            '<p>끝 &lt;태그&gt; &#xD55C;&#44544; caf&eacute;</p></article>'
            '<footer>사이트 바닥글</footer></body>',
        'main-only.html':
            '<header>머리</header><main><h2>본문 제목</h2><p>본문'
            '</p><div>상자 안 글<p>문단</p>뒤</div></main><aside>곁</aside>',
        'body-only.html':
            '<p>첫째<p>둘째 <b>굵게 <i>둘 다</i></b> 끝<ul><li>가<li>나'
            '</ul><dl><dt>용어</dt><dd>뜻</dd></dl>',
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in docs.items():
            path = os.path.join(tmp, name)
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            compare(jikji, path)
            if name == 'constructs.html':
                check_structure(jikji, path, text)
        check_figures(jikji, tests, tmp)
    print('test_html: %d passed, %d failed' % (checks - failures, failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
