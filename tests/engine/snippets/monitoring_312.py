# sys.monitoring (3.12+): line, jump and branch events must report the same
# source lines and directions before and after NOP insertion (offsets differ
# by design, so events are reported as lines).
import dis, sys

mon = sys.monitoring
TOOL = mon.DEBUGGER_ID
E = mon.events
events = []

def line_of(code, offset):
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line - code.co_firstlineno
    return None

def opname_at(code, offset, skip_nops):
    # The instruction reported as a branch source must be the branch itself;
    # a destination may be a NOP standing for the instruction after it.
    for ins in dis.get_instructions(code):
        if ins.offset >= offset and not (skip_nops and ins.opname == 'NOP'):
            return ins.opname
    return None

def on_branch(kind):
    def cb(code, src, dest):
        if code.co_name in ('work', 'awork'):
            events.append((kind, opname_at(code, src, False), line_of(code, src),
                           opname_at(code, dest, True), line_of(code, dest)))
    return cb

def on_line(code, line):
    if code.co_name == 'work':
        events.append(('line', line - code.co_firstlineno))

def work(n):
    t = 0
    for i in range(n):
        if i % 3 == 0:
            t += i
        elif i > 4 and t:
            t -= 1
        while t > 10:
            t //= 2
    return [x for x in range(n) if x & 1], t

mon.use_tool_id(TOOL, 'nops-test')
wanted = E.LINE | E.JUMP
names = ['BRANCH_LEFT', 'BRANCH_RIGHT'] if hasattr(E, 'BRANCH_LEFT') else ['BRANCH']
for name in names:
    wanted |= getattr(E, name)
    mon.register_callback(TOOL, getattr(E, name), on_branch(name))
mon.register_callback(TOOL, E.JUMP, on_branch('JUMP'))
mon.register_callback(TOOL, E.LINE, on_line)
mon.set_events(TOOL, wanted)
work(8)
mon.set_events(TOOL, 0)
mon.free_tool_id(TOOL)
print(events)

# async for: 3.14+ END_ASYNC_FOR reports a branch back to its END_SEND.
async def agen():
    for i in range(3):
        yield i

async def awork():
    out = []
    async for v in agen():
        if v:
            out.append(v)
    return out

events.clear()
mon.use_tool_id(TOOL, 'nops-test')
for name in names:
    mon.register_callback(TOOL, getattr(E, name), on_branch(name))
mon.register_callback(TOOL, E.JUMP, on_branch('JUMP'))
mon.set_events(TOOL, wanted)
c = awork()
try:
    c.send(None)
except StopIteration as e:
    result = e.value
mon.set_events(TOOL, 0)
mon.free_tool_id(TOOL)
print(result, events)
