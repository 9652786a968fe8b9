#!/usr/bin/env python3
"""The ABI's names.

Usage: symbols.py JIKJI_H JIKJI_VERSION_H_IN RENDER_DIR [LIBJIKJI_SO]

(a) every symbol the shared library exports (nm -D --defined-only) starts
    with jk_ and not jk__;
(b) every function declared with JK_API in jikji.h is exported (as a
    function), and every exported symbol is declared there;
(c) no private name carries the public prefix: the names render/*.h define
    (typedefs, struct/union/enum tags, enum constants, #defines, function
    and variable declarations) that begin with jk_ or JK_ (one underscore)
    must be names the public header declares.

Without LIBJIKJI_SO (a static-only build) (a) and (b) are skipped and (c)
still runs. Exit status 0 when all hold, 1 otherwise.
"""
import os
import re
import shutil
import subprocess
import sys

PUBLIC_PREFIX = re.compile(r'^(jk|JK)_(?!_)')
IDENT = re.compile(r'[A-Za-z_]\w*')
KEYWORDS = {
    'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do',
    'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if',
    'inline', 'int', 'long', 'register', 'restrict', 'return', 'short',
    'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union',
    'unsigned', 'void', 'volatile', 'while', '_Bool', '_Static_assert',
    '_Alignas', '_Alignof', '_Atomic', '_Noreturn', '_Thread_local',
    '__attribute__', '__restrict', '__inline', 'defined',
}
# Names the toolchain puts into any shared object's dynamic table.
TOOLCHAIN = {'_init', '_fini', '_edata', '_end', '__bss_start'}
TOOLCHAIN_PREFIXES = ('__odr_asan', '__asan_', '__ubsan_', '__sanitizer_',
                      '__sancov_', '__lsan_', '__msan_', '__tsan_')
FUNCTION_TYPES = set('TtiWw')


def strip_comments(text):
    """C text without comments; strings and characters kept."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(' ' + '\n' * text.count('\n', i, j))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            i = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def logical_lines(text):
    return text.replace('\\\n', ' ').split('\n')


def tokens(code):
    """Identifiers, literals and one-character punctuation."""
    return re.findall(r'[A-Za-z_]\w*|\d[\w.]*|"(?:\\.|[^"\\])*"|'
                      r"'(?:\\.|[^'\\])*'|\S", code)


def header_names(path):
    """{name: [kinds]} of the names a header defines."""
    text = strip_comments(open(path, encoding='utf-8').read())
    names = {}

    def add(name, kind):
        kinds = names.setdefault(name, [])
        if kind not in kinds:
            kinds.append(kind)

    code = []
    for line in logical_lines(text):
        m = re.match(r'\s*#\s*define\s+([A-Za-z_]\w*)', line)
        if m:
            add(m.group(1), '#define')
        if re.match(r'\s*#', line):
            code.append('')
        else:
            code.append(line)
    toks = tokens('\n'.join(code))

    depth = 0          # braces
    parens = 0
    in_typedef = False
    typedef_start = 0
    typedef_depth = 0
    enum_depths = []   # brace depths of the enum bodies we are in
    expect_enum_body = False
    expect_constant = False
    for i, t in enumerate(toks):
        prev = toks[i - 1] if i else ''
        nxt = toks[i + 1] if i + 1 < len(toks) else ''
        if t in ('struct', 'union', 'enum') and IDENT.fullmatch(nxt):
            add(nxt, t + ' tag')
        if t == 'enum':
            expect_enum_body = True
        if t == 'typedef' and not in_typedef:
            in_typedef = True
            typedef_start = i
            typedef_depth = depth
        if t == '{':
            depth += 1
            if expect_enum_body:
                enum_depths.append(depth)
                expect_constant = True
            expect_enum_body = False
            continue
        if t == '}':
            if enum_depths and enum_depths[-1] == depth:
                enum_depths.pop()
            depth -= 1
            expect_constant = False
            continue
        if t == ';':
            expect_enum_body = False
            if in_typedef and depth == typedef_depth and parens == 0:
                in_typedef = False
                stmt = toks[typedef_start:i]
                name = typedef_name(stmt)
                if name:
                    add(name, 'typedef')
            continue
        if t == '(':
            parens += 1
        elif t == ')':
            parens -= 1
        if enum_depths and depth == enum_depths[-1] and parens == 0:
            if expect_constant and IDENT.fullmatch(t):
                add(t, 'enum constant')
                expect_constant = False
            elif t == ',':
                expect_constant = True
            continue
        # Declarations at file scope: functions and variables.
        if (depth == 0 and parens == 0 and not in_typedef and
                IDENT.fullmatch(t) and t not in KEYWORDS and
                prev not in ('struct', 'union', 'enum') and
                (IDENT.fullmatch(prev) or prev == '*')):
            if nxt == '(':
                add(t, 'function')
            elif nxt in (';', '=', '[', ','):
                add(t, 'variable')
    return names


def typedef_name(stmt):
    """The name a typedef statement (without its ';') declares."""
    # Function pointer: typedef R (*name)(...)
    for j in range(len(stmt) - 3):
        if (stmt[j] == '(' and stmt[j + 1] == '*' and
                IDENT.fullmatch(stmt[j + 2]) and stmt[j + 3] == ')'):
            return stmt[j + 2]
    depth = 0
    last = None
    for t in stmt:
        if t in '{[(':
            depth += 1
        elif t in '}])':
            depth -= 1
        elif depth == 0 and IDENT.fullmatch(t) and t not in KEYWORDS:
            last = t
    return last


def public_names(paths):
    names = set()
    for p in paths:
        text = strip_comments(open(p, encoding='utf-8').read())
        names.update(IDENT.findall(text))
    return names


def api_functions(path):
    """Names of the functions declared with JK_API."""
    text = strip_comments(open(path, encoding='utf-8').read())
    code = '\n'.join(l for l in logical_lines(text)
                     if not re.match(r'\s*#', l))
    out = []
    for m in re.finditer(r'\bJK_API\b([^;{(]*)\(', code):
        idents = IDENT.findall(m.group(1))
        if idents:
            out.append(idents[-1])
    return out


def exported_symbols(lib):
    nm = shutil.which('nm')
    if not nm:
        sys.exit('symbols: FAIL: nm (binutils) not found')
    r = subprocess.run([nm, '-D', '--defined-only', lib],
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'symbols: FAIL: nm -D --defined-only {lib}: {r.stderr}')
    syms = {}
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1]
        syms[name.split('@')[0]] = kind
    return syms


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    header, version_in, render_dir = sys.argv[1:4]
    lib = sys.argv[4] if len(sys.argv) == 5 else None
    failures = 0

    declared = api_functions(header)
    print(f'{header}: {len(declared)} functions declared with JK_API')
    if len(set(declared)) != len(declared):
        dup = sorted({d for d in declared if declared.count(d) > 1})
        print(f'FAIL declared more than once: {" ".join(dup)}')
        failures += 1

    if lib is None:
        print('no shared library in this build (default_library=static): '
              '(a) and (b) skipped')
    else:
        lib = os.path.realpath(lib)
        syms = exported_symbols(lib)
        ignored = sorted(s for s in syms if s in TOOLCHAIN or
                         s.startswith(TOOLCHAIN_PREFIXES))
        ours = {s: k for s, k in syms.items() if s not in ignored}
        print(f'{lib}: {len(ours)} symbols exported'
              + (f' (toolchain names not counted: {" ".join(ignored)})'
                 if ignored else ''))

        # (a) the prefix
        bad = sorted(s for s in ours if not PUBLIC_PREFIX.match(s) or
                     not s.startswith('jk_'))
        if bad:
            failures += 1
            print(f'FAIL (a) {len(bad)} exported symbols do not start with '
                  f'jk_ (or start with jk__):')
            for s in bad:
                print(f'    {ours[s]} {s}')
        else:
            print('ok   (a) every exported symbol starts with jk_, none '
                  'with jk__')

        # (b) exported == declared
        missing = sorted(set(declared) - set(ours))
        extra = sorted(set(ours) - set(declared))
        not_func = sorted(d for d in declared
                          if d in ours and ours[d] not in FUNCTION_TYPES)
        if missing:
            failures += 1
            print(f'FAIL (b) declared with JK_API but not exported: '
                  f'{" ".join(missing)}')
        if extra:
            failures += 1
            print(f'FAIL (b) exported but not declared with JK_API in '
                  f'{os.path.basename(header)}:')
            for s in extra:
                print(f'    {ours[s]} {s}')
        if not_func:
            failures += 1
            print(f'FAIL (b) declared as functions, exported as objects: '
                  f'{" ".join(not_func)}')
        if not (missing or extra or not_func):
            print(f'ok   (b) the {len(declared)} JK_API functions are '
                  f'exactly the exported symbols')

    # (c) private names with the public prefix
    public = public_names([header, version_in])
    offenders = []
    headers = sorted(f for f in os.listdir(render_dir) if f.endswith('.h'))
    for h in headers:
        for name, kinds in header_names(os.path.join(render_dir, h)).items():
            if PUBLIC_PREFIX.match(name) and name not in public:
                offenders.append((h, ', '.join(kinds), name))
    print(f'{render_dir}: {len(headers)} private headers scanned')
    if offenders:
        failures += 1
        print(f'FAIL (c) {len(offenders)} private names carry the public '
              f'prefix jk_/JK_ (private names are jk__/JK__):')
        for h, kind, name in offenders:
            print(f'    render/{h}: {kind} {name}')
    else:
        print('ok   (c) no private name carries the public prefix')

    print('symbols: ' + ('FAIL' if failures else 'ok'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
