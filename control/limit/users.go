package limit

import "time"

// none marks the end of a list in userTable.
const none int32 = -1

// entry is one user's cooldown state: the hash of their key and the time of
// their last accepted command, as an offset from the Limiter's epoch.
type entry struct {
	key        uint64
	at         time.Duration
	prev, next int32 // neighbours in the recency list, or the free list (next)
}

// userTable remembers when each user last had a command accepted. Entries
// sit in one slice linked into a list from most recently accepted (head) to
// least (tail); unused slots form a free list. The map finds a user's slot.
// Every operation is O(1), and nothing allocates once the slice and map have
// grown to the table's size.
type userTable struct {
	max        int
	idx        map[uint64]int32
	ents       []entry
	head, tail int32
	free       int32
}

func newUserTable(max int) userTable {
	return userTable{max: max, idx: make(map[uint64]int32), head: none, tail: none, free: none}
}

func (u *userTable) len() int { return len(u.idx) }

// since is t-last, 0 when t is not after last, saturating on overflow.
func since(t, last time.Duration) time.Duration {
	if t <= last {
		return 0
	}
	if d := t - last; d > 0 {
		return d
	}
	return time.Duration(1<<63 - 1)
}

// wait returns how long until a cooldown of cd that started at last ends,
// seen at t; 0 when it has ended.
func wait(t, last, cd time.Duration) time.Duration {
	if s := since(t, last); s < cd {
		return cd - s
	}
	return 0
}

// check returns how long user key must wait at t under cooldown cd, and the
// scope that makes them wait: ScopeUser for their own cooldown, or
// ScopeUserTable when they are new and every entry is still cooling down.
func (u *userTable) check(key uint64, t, cd time.Duration) (time.Duration, Scope) {
	if i, ok := u.idx[key]; ok {
		return wait(t, u.ents[i].at, cd), ScopeUser
	}
	if u.len() < u.max {
		return 0, ScopeUser
	}
	return wait(t, u.ents[u.tail].at, cd), ScopeUserTable
}

// accept records that key had a command accepted at t. check must have
// returned 0 for key, so when the table is full its tail has expired and
// may be reused.
func (u *userTable) accept(key uint64, t time.Duration) {
	i, ok := u.idx[key]
	switch {
	case ok:
		u.unlink(i)
	case u.len() >= u.max:
		i = u.tail
		u.unlink(i)
		delete(u.idx, u.ents[i].key)
	default:
		i = u.alloc()
	}
	u.ents[i].key, u.ents[i].at = key, t
	u.idx[key] = i
	u.pushFront(i)
}

// prune forgets up to n least recently accepted users whose cooldown cd has
// ended by t, so Users reports only users who may still matter.
func (u *userTable) prune(t, cd time.Duration, n int) {
	for ; n > 0 && u.tail != none && wait(t, u.ents[u.tail].at, cd) == 0; n-- {
		u.remove(u.tail)
	}
}

// remove forgets the user in slot i and frees the slot.
func (u *userTable) remove(i int32) {
	u.unlink(i)
	delete(u.idx, u.ents[i].key)
	u.ents[i] = entry{next: u.free}
	u.free = i
}

func (u *userTable) alloc() int32 {
	if i := u.free; i != none {
		u.free = u.ents[i].next
		return i
	}
	u.ents = append(u.ents, entry{})
	return int32(len(u.ents) - 1)
}

func (u *userTable) unlink(i int32) {
	e := &u.ents[i]
	if e.prev != none {
		u.ents[e.prev].next = e.next
	} else {
		u.head = e.next
	}
	if e.next != none {
		u.ents[e.next].prev = e.prev
	} else {
		u.tail = e.prev
	}
	e.prev, e.next = none, none
}

func (u *userTable) pushFront(i int32) {
	u.ents[i].prev, u.ents[i].next = none, u.head
	if u.head != none {
		u.ents[u.head].prev = i
	}
	u.head = i
	if u.tail == none {
		u.tail = i
	}
}

// resized returns a table of size max holding the max most recently
// accepted users of u, in the same order. Users beyond max are forgotten
// even if still cooling down: shrinking the table is the operator's call.
func (u *userTable) resized(max int) userTable {
	if max == u.max {
		return *u
	}
	n := newUserTable(max)
	i := u.head
	for k := 0; k < max-1 && i != none && u.ents[i].next != none; k++ {
		i = u.ents[i].next
	}
	for ; i != none; i = u.ents[i].prev {
		n.accept(u.ents[i].key, u.ents[i].at)
	}
	return n
}
