#!/usr/bin/env python3
"""The installed library as a firmware's build sees it.

Usage: install_test.py BUILD_ROOT SOURCE_ROOT CC SANITIZE [DEFAULT_LIBRARY]

Installs BUILD_ROOT into a temporary folder (meson install --destdir),
checks the installed files, compiles tests/integrator.c with CC (the
build's compiler command, one string) and the flags of
`pkg-config --cflags --libs jikji` alone, found through PKG_CONFIG_PATH
and PKG_CONFIG_SYSROOT_DIR in that folder (plus -fsanitize=SANITIZE
unless it is 'none', so an instrumented library links), and runs it with
LD_LIBRARY_PATH on the installed library and the installed fonts.
Exit status 0 when everything holds; 1 with a message otherwise.
"""
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile


class Failure(Exception):
    pass


def say(msg):
    print(f'install_test: {msg}', flush=True)


def run(cmd, env=None, what=None, echo=True, with_stderr=False):
    say('$ ' + ' '.join(shlex.quote(c) for c in cmd))
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.stdout and (echo or r.returncode != 0):
        sys.stdout.write(r.stdout)
    if r.stderr:
        sys.stdout.write(r.stderr)
    sys.stdout.flush()
    if r.returncode != 0:
        raise Failure(f'{what or cmd[0]} failed with status {r.returncode}')
    return r.stdout + r.stderr if with_stderr else r.stdout


def build_options(build_root):
    path = os.path.join(build_root, 'meson-info', 'intro-buildoptions.json')
    with open(path, encoding='utf-8') as f:
        return {o['name']: o['value'] for o in json.load(f)}


def project_version(build_root):
    path = os.path.join(build_root, 'meson-info', 'intro-projectinfo.json')
    with open(path, encoding='utf-8') as f:
        return json.load(f)['version']


def under(root, prefix, d):
    """DESTDIR root + the prefix-relative or absolute folder d."""
    full = d if os.path.isabs(d) else os.path.join(prefix, d)
    return os.path.join(root, full.lstrip(os.sep))


def expect(cond, msg):
    if not cond:
        raise Failure(msg)
    say('ok: ' + msg)


def inside(path, root):
    path = os.path.realpath(path)
    root = os.path.realpath(root)
    return path == root or path.startswith(root + os.sep)


def main():
    if len(sys.argv) not in (5, 6):
        print(__doc__)
        return 2
    build_root, source_root, cc_cmd, sanitize = sys.argv[1:5]
    default_library = sys.argv[5] if len(sys.argv) == 6 else 'shared'
    cc = shlex.split(cc_cmd)
    if not cc:
        raise Failure('no compiler command given')
    opts = build_options(build_root)
    version = project_version(build_root)
    major = version.split('.')[0]
    prefix = opts['prefix']
    say(f'jikji {version}, prefix {prefix}, libdir {opts["libdir"]}, '
        f'default_library {default_library}, b_sanitize {sanitize}, '
        f'compiler {cc_cmd}')

    meson = shutil.which('meson')
    meson_cmd = [meson] if meson else [sys.executable, '-m', 'mesonbuild.mesonmain']
    pkg_config = shutil.which('pkg-config')
    if not pkg_config:
        raise Failure('pkg-config not found')

    keep = os.environ.get('JIKJI_KEEP_INSTALL')
    tmp = tempfile.mkdtemp(prefix='jikji-install-')
    try:
        run(meson_cmd + ['install', '-C', build_root, '--no-rebuild',
                         '--destdir', tmp, '--quiet'], what='meson install')
        libdir = under(tmp, prefix, opts['libdir'])
        includedir = under(tmp, prefix, opts['includedir'])
        datadir = under(tmp, prefix, opts['datadir'])
        fonts = os.path.join(datadir, 'jikji', 'fonts')

        # The installed files.
        for h in ('jikji.h', 'jikji-version.h'):
            expect(os.path.isfile(os.path.join(includedir, h)),
                   f'header {os.path.relpath(os.path.join(includedir, h), tmp)}'
                   ' installed')
        if default_library in ('shared', 'both'):
            real = f'libjikji.so.{version}'
            soname = f'libjikji.so.{major}'
            expect(os.path.isfile(os.path.join(libdir, real)) and
                   not os.path.islink(os.path.join(libdir, real)),
                   f'{os.path.relpath(libdir, tmp)}/{real} installed')
            link = os.path.join(libdir, soname)
            expect(os.path.islink(link) and os.readlink(link) == real,
                   f'{soname} is a symlink to {real} (soversion = major '
                   f'version {major}; it points to '
                   f'{os.readlink(link) if os.path.islink(link) else "-"})')
            dev = os.path.join(libdir, 'libjikji.so')
            expect(os.path.islink(dev) and
                   os.path.realpath(dev) == os.path.realpath(
                       os.path.join(libdir, real)),
                   'libjikji.so (for -ljikji) leads to ' + real)
            readelf = shutil.which('readelf')
            if readelf:
                dyn = run([readelf, '-d', os.path.join(libdir, real)],
                          what='readelf -d', echo=False)
                expect(f'[{soname}]' in dyn,
                       f'the library\'s SONAME is {soname}')
        if default_library in ('static', 'both'):
            expect(os.path.isfile(os.path.join(libdir, 'libjikji.a')),
                   f'{os.path.relpath(libdir, tmp)}/libjikji.a installed')
        pcdir = os.path.join(libdir, 'pkgconfig')
        expect(os.path.isfile(os.path.join(pcdir, 'jikji.pc')),
               f'{os.path.relpath(pcdir, tmp)}/jikji.pc installed')
        source_fonts = sorted(os.path.basename(f) for f in
                              glob.glob(os.path.join(source_root, 'fonts',
                                                     '*.ttf')))
        installed_fonts = sorted(os.path.basename(f) for f in
                                 glob.glob(os.path.join(fonts, '*.ttf')))
        expect(installed_fonts and set(source_fonts) <= set(installed_fonts),
               f'{len(installed_fonts)} fonts in '
               f'{os.path.relpath(fonts, tmp)}'
               + ('' if set(source_fonts) <= set(installed_fonts) else
                  ', missing: ' + ' '.join(sorted(set(source_fonts) -
                                                  set(installed_fonts)))))

        # pkg-config, pointed into the installed tree.
        env = dict(os.environ)
        env['PKG_CONFIG_PATH'] = pcdir
        env['PKG_CONFIG_SYSROOT_DIR'] = tmp
        env.pop('PKG_CONFIG_LIBDIR', None)
        run([pkg_config, '--version'], env=env, what='pkg-config --version')
        modversion = run([pkg_config, '--modversion', 'jikji'], env=env,
                         what='pkg-config --modversion jikji').strip()
        expect(modversion == version,
               f'pkg-config --modversion jikji is {modversion}')
        static = default_library == 'static'
        cflags = shlex.split(run([pkg_config, '--cflags', 'jikji'], env=env,
                                 what='pkg-config --cflags jikji'))
        libs = shlex.split(run([pkg_config, '--libs'] +
                               (['--static'] if static else []) + ['jikji'],
                               env=env, what='pkg-config --libs jikji'))
        incs = [f[2:] for f in cflags if f.startswith('-I')]
        ldirs = [f[2:] for f in libs if f.startswith('-L')]
        expect(any(inside(i, includedir) and os.path.realpath(i) ==
                   os.path.realpath(includedir) for i in incs),
               f'--cflags has -I{os.path.relpath(includedir, tmp)} inside '
               f'the install folder ({" ".join(cflags)})')
        expect(any(os.path.realpath(d) == os.path.realpath(libdir)
                   for d in ldirs) and '-ljikji' in libs,
               f'--libs has -L{os.path.relpath(libdir, tmp)} inside the '
               f'install folder and -ljikji ({" ".join(libs)})')
        leaks = [f for f in cflags + libs
                 if f[:2] in ('-I', '-L') and
                 (inside(f[2:], build_root) or inside(f[2:], source_root))
                 and not inside(f[2:], tmp)]
        expect(not leaks, 'no flag points into the build or source tree'
               + (': ' + ' '.join(leaks) if leaks else ''))
        outside = [f for f in cflags + libs
                   if f[:2] in ('-I', '-L') and not inside(f[2:], tmp)]
        if outside:
            say('note: flags outside the install folder (other packages): '
                + ' '.join(outside))

        # Compile and link the integrator with those flags alone.
        integrator = os.path.join(source_root, 'tests', 'integrator.c')
        exe = os.path.join(tmp, 'integrator')
        san = [f'-fsanitize={sanitize}'] if sanitize not in ('', 'none') \
            else []
        warn = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-g']
        deps = run(cc + warn + san + cflags + ['-M', integrator],
                   what='compiler -M (which headers)', echo=False)
        dep_files = shlex.split(deps.replace('\\\n', ' '))
        for h in ('jikji.h', 'jikji-version.h'):
            used = [d for d in dep_files if os.path.basename(d) == h]
            expect(used and all(inside(d, tmp) for d in used),
                   f'{h} comes from the install folder '
                   f'({", ".join(used) or "not used"})')
        run(cc + warn + san + cflags + [integrator, '-o', exe] + libs,
            what='compiling and linking tests/integrator.c')

        run_env = dict(os.environ)
        if not static:
            run_env['LD_LIBRARY_PATH'] = os.pathsep.join(
                [libdir] + ([os.environ['LD_LIBRARY_PATH']]
                            if os.environ.get('LD_LIBRARY_PATH') else []))
            ldd = shutil.which('ldd')
            if ldd:
                out = run([ldd, exe], env=run_env, what='ldd', echo=False)
                line = [l for l in out.splitlines() if 'libjikji' in l]
                expect(line and inside(line[0].split('=>')[1].split()[0],
                                       libdir),
                       'the integrator loads the installed libjikji.so.'
                       + major)
        if san:
            # A sanitizer report fails the test, also from the library's
            # code (built to recover).
            run_env.setdefault('UBSAN_OPTIONS',
                               'halt_on_error=1:abort_on_error=1:'
                               'print_stacktrace=1')
            run_env.setdefault('ASAN_OPTIONS', 'detect_leaks=1')
        article = os.path.join(source_root, 'tests', 'ko-grok-news.txt')
        out = run([exe, fonts, article], env=run_env, what='the integrator',
                  with_stderr=True)
        expect('runtime error:' not in out and 'Sanitizer' not in out,
               'no sanitizer report')
        say('PASS')
        return 0
    finally:
        if keep:
            say(f'kept {tmp}')
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    try:
        sys.exit(main())
    except Failure as e:
        say(f'FAIL: {e}')
        sys.exit(1)
