"""Init-container step: pip-installs requirements.txt into $KUBELESS_INSTALL_VOLUME/.python_packages,
which server.py puts on sys.path."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kubeless_syspath import drop_pythonpath  # noqa: E402

# A restarted init container finds the packages of its first run on PYTHONPATH.
drop_pythonpath()

import json  # noqa: E402
import subprocess  # noqa: E402
from datetime import datetime, timezone  # noqa: E402


def log(level, msg, **extra):
    sys.stderr.write(json.dumps({'level': level, 'time': datetime.now(timezone.utc).isoformat(),
                                 'msg': msg, **extra}) + '\n')


def pip_args(volume):
    return [sys.executable, '-m', 'pip', 'install', '--no-cache-dir', '--disable-pip-version-check',
            '--no-input', '--target', os.path.join(volume, '.python_packages'),
            '-r', os.path.join(volume, 'requirements.txt')]


def main():
    volume = os.environ.get('KUBELESS_INSTALL_VOLUME', '/kubeless')
    if not os.path.isfile(os.path.join(volume, 'requirements.txt')):
        log('info', 'no requirements.txt in the install volume; nothing to install', volume=volume)
        return 0
    args = pip_args(volume)
    log('info', 'installing dependencies', volume=volume, command=args)
    # argv list, no shell: nothing in requirements.txt can become a shell command here.
    code = subprocess.call(args)
    if code != 0:
        log('error', 'pip install failed; check the package names and versions in requirements.txt '
                     '(output above)', code=code)
        return code
    log('info', 'dependencies installed', volume=volume)
    return 0


if __name__ == '__main__':
    sys.exit(main())
