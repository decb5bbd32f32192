#!/usr/bin/python3
# Drives an application's accessible tree over AT-SPI, as a screen reader or
# a user's assistive tool would: find widgets by role and accessible name,
# perform their actions (click), read labels, list the tree. Used by
# tests/integration/lib/atspi.mjs.
#
# Protocol: one JSON object per line on stdin, one JSON answer per line on
# stdout: {"ok": true, "result": …} or {"ok": false, "error": "…"}.
#
#   {"cmd": "tree", "pid": N}                        every node on the page
#                                                    ("basic": true: role, name,
#                                                    type, extents, within only)
#   {"cmd": "find", "pid": N, "role": R, "name": S}  the nodes that match
#   {"cmd": "do", "pid": N, "role": R, "name": S, "action": A}
#   {"cmd": "focused", "pid": N}                     the node with the focus
#
# "role" is AT-SPI's role name ("push button", "label", …); "name" is matched
# exactly, or as a regular expression when "match" is "regex"; "text" is a
# label's or entry's text; "state" a state it must have; "within"
# names an ancestor the node must be inside. "do" wants exactly one match
# (or the first, with "first": true) and performs its first action unless
# "action" names one.
#
# What GTK 4.8 exposes, and how this copes:
# - SHOWING is set on windows only. A widget that was never allocated (a
#   stack page not shown yet, a folded revealer) has empty extents, so it is
#   left out. But a stack page that went to the back keeps its last extents,
#   and the window's hit test finds such stale widgets too, so names that
#   recur on several pages (Copy Link, Cancel, Try Again) need "within".
# - A button whose label has a mnemonic is named "<label with _> <label>"
#   ("_Sign In Sign In"); names are reported and matched without the first
#   half. A widget with no name at all is reported under its type name
#   ("GtkImage"), which counts as unnamed.
# - Component.GrabFocus is not supported, and list rows have no actions:
#   tests reach them with the keyboard and read the focus back here.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import re
import sys

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

MAX_DEPTH = 60
TYPE_NAME = re.compile(r'^(Gtk|Adw|Gk)[A-Z][A-Za-z0-9]*$')
ROWS = ('table row', 'list item', 'row', 'tree item')


def plain_name(name):
    """The name without GTK 4.8's doubled mnemonic label, and '' for a
    type name standing in for a missing name."""
    for i, ch in enumerate(name):
        if ch == ' ':
            head, tail = name[:i], name[i + 1:]
            if '_' in head and head.replace('_', '') == tail:
                return tail
    return '' if TYPE_NAME.match(name) else name


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is None:
            continue
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:  # an application that went away meanwhile
            continue
    raise LookupError(f'no accessible application with process id {pid} (yet)')


def state_names(node):
    states = node.get_state_set()
    return [Atspi.StateType(s).value_nick for s in states.get_states()]


def actions(node):
    action = node.get_action_iface()
    if action is None:
        return []
    return [action.get_action_name(i) for i in range(action.get_n_actions())]


# Every property read is a D-Bus round trip to the application's main
# thread, which under the sanitizers on a loaded machine costs milliseconds:
# a walk reads only what it needs to find its way (role, name, extents),
# and the rest only for the nodes that match.
def describe(node, path, depth, scope):
    raw = node.get_name() or ''
    info = {
        'path': path,
        'depth': depth,
        'role': node.get_role_name(),
        'name': plain_name(raw),
        'type': raw if TYPE_NAME.match(raw) else None,
        'within': scope,
    }
    component = node.get_component_iface()
    if component is not None:
        try:
            e = component.get_extents(Atspi.CoordType.WINDOW)
            info['extents'] = [e.x, e.y, e.width, e.height]
        except Exception:
            pass
    return info


def with_states(node, info):
    if 'states' not in info:
        info['states'] = state_names(node)
    return info


def complete(node, info):
    """Adds what describe() leaves out: states, actions, description, a
    row's content and a text's text."""
    with_states(node, info)
    info['description'] = node.get_description() or ''
    info['actions'] = actions(node)
    if info['role'] in ROWS:
        info['content'] = ' '.join(label_texts(node))
    text = node.get_text_iface()
    if text is not None:
        try:
            info['text'] = text.get_text(0, text.get_character_count())
        except Exception:
            pass
    return info


def label_texts(node, depth=0):
    """What a row shows: the names of the labels inside it, in order."""
    texts = []
    for i in range(node.get_child_count() if depth < 6 else 0):
        child = node.get_child_at_index(i)
        if child is None:
            continue
        name = plain_name(child.get_name() or '')
        if child.get_role_name() == 'label' and name:
            texts.append(name)
        else:
            texts.extend(label_texts(child, depth + 1))
    return texts


def has_area(info):
    extents = info.get('extents')
    return extents is None or (extents[2] > 0 and extents[3] > 0)


def walk(app, everything=False):
    """Yields (node, info) depth first; unless everything is asked for,
    skips the subtrees that were never on screen (empty extents)."""
    stack = [(app, [], 0, [])]
    while stack:
        node, path, depth, scope = stack.pop()
        try:
            info = describe(node, path, depth, scope)
        except Exception:  # a widget destroyed while walking
            continue
        if depth > 1 and not everything and not has_area(info):
            continue
        yield node, info
        if depth >= MAX_DEPTH:
            continue
        try:
            count = node.get_child_count()
        except Exception:
            continue
        # Type names ("GkS3Browser") count as scopes: they are what a
        # widget with no name of its own is known by.
        label = info['name'] or info['type']
        inner = scope + [label] if label else scope
        children = []
        for i in range(count):
            try:
                child = node.get_child_at_index(i)
            except Exception:
                child = None
            if child is not None:
                children.append((child, path + [i], depth + 1, inner))
        stack.extend(reversed(children))


def matches(node, info, request):
    """Cheap checks first; the rest is read only for nodes that pass them."""
    if 'role' in request and info['role'] != request['role']:
        return False
    if 'name' in request:
        if request.get('match') == 'regex':
            if not re.search(request['name'], info['name']):
                return False
        elif info['name'] != request['name']:
            return False
    if 'within' in request and request['within'] not in info['within']:
        return False
    complete(node, info)
    if 'text' in request and info.get('text') != request['text']:
        return False
    if 'state' in request and request['state'] not in info['states']:
        return False
    return True


def find(request):
    app = find_app(request['pid'])
    return [(n, i) for n, i in walk(app, request.get('all', False)) if matches(n, i, request)]


def where(info):
    return ' › '.join(info['within'][-3:] + [info['name'] or info['type'] or '?'])


def find_one(request):
    found = find(request)
    what = f"{request.get('role', 'node')} named {request.get('name')!r}"
    if 'within' in request:
        what += f" within {request['within']!r}"
    if not found:
        raise LookupError(f'no {what}')
    if len(found) > 1 and not request.get('first', False):
        raise LookupError(f"{len(found)} of {what}: " + '; '.join(where(i) for _, i in found))
    return found[0]


def do_action(request):
    node, info = find_one(request)
    action = node.get_action_iface()
    names = actions(node)
    wanted = request.get('action')
    if action is None or not names:
        raise LookupError(f"{info['role']} {where(info)!r} has no actions")
    if wanted is not None and wanted not in names:
        raise LookupError(f"{info['role']} {where(info)!r} has no action {wanted!r} (has {names})")
    index = 0 if wanted is None else names.index(wanted)
    if not action.do_action(index):
        raise RuntimeError(f"{info['role']} {where(info)!r} refused {names[index]!r}")
    return info


def focused(request):
    app = find_app(request['pid'])
    return [complete(n, i) for n, i in walk(app) if 'focused' in with_states(n, i)['states']]


COMMANDS = {
    'tree': lambda r: [i if r.get('basic') else complete(n, i)
                       for n, i in walk(find_app(r['pid']), r.get('all', False))],
    'find': lambda r: [i for _, i in find(r)],
    'do': do_action,
    'focused': focused,
}


def main():
    Atspi.init()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            answer = {'ok': True, 'result': COMMANDS[request['cmd']](request)}
        except Exception as e:  # every failure is an answer, never a crash
            answer = {'ok': False, 'error': f'{type(e).__name__}: {e}'}
        sys.stdout.write(json.dumps(answer) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
