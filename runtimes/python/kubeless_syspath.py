"""The runtime's own imports never come from the function's dependencies.

The image sets PYTHONPATH to the installed dependencies so that whatever runs in the container
sees them, as in the original Kubeless image: `kubectl exec POD -- pip freeze`, `python3 -c
'import dep'`, the function's own subprocesses. Python puts PYTHONPATH ahead of the standard
library, so a dependency that shadows a standard module (enum34, old typing backports) would
break the runtime's scripts before they could report anything. Each entry script calls
drop_pythonpath() before its other imports; server.py puts the dependencies back, after the
function's code, when it loads the function.
"""

import os
import sys


def drop_pythonpath():
    listed = {os.path.abspath(p) for p in os.environ.get('PYTHONPATH', '').split(os.pathsep) if p}
    sys.path[:] = [p for p in sys.path if os.path.abspath(p) not in listed]
