// Package limit decides whether an accepted chat command may run now, under
// rate limits at three scopes:
//
//   - global: a token bucket (golang.org/x/time/rate) pacing every command
//     from every user and platform, so a chat flood can never drive the
//     hardware faster than Config.Global allows;
//   - command: a minimum spacing between two accepted uses of one command
//     (CommandLimit.Cooldown), for everyone together;
//   - user: a minimum spacing between two accepted commands from one user
//     (Config.UserCooldown), whatever the command.
//
// A request is allowed only when all three scopes allow it, and only an
// allowed request consumes anything: a refusal by a user cooldown costs no
// global tokens, and a refusal by global pacing starts no cooldown.
//
// The package is pure: no I/O, no goroutines, no clock. Every method takes
// the current time as an argument, so tests use explicit times or
// testing/synctest and replay runs on the events' own timestamps.
//
// # Cost
//
// A request for a repeated command (左3) costs its repeat count in global
// tokens, so repeats cannot outrun the pacing. A cost larger than the
// bucket's burst is admitted only when the bucket is full and then leaves
// it in debt: the next command waits for the extra tokens. Costs below 1
// count as 1 and costs above MaxCost count as MaxCost. Cooldowns are per
// accepted message and ignore cost.
//
// # Bypass
//
// Roles listed in Config.Bypass (typically moderator and owner) skip the
// user and command cooldowns, but never global pacing: the global bucket
// protects the hardware, not fairness. Their accepted commands still start
// the command's cooldown for everyone else. A stop or halt command should not
// be passed through the Limiter at all.
//
// # Users and memory
//
// Per-user state is one 24-byte entry per user currently remembered, kept in
// a table of at most Config.MaxUsers entries (default 10000) ordered by the
// time of the user's last accepted command, with O(1) insert, lookup and
// eviction and no allocation once the table has grown. Users are keyed by a
// seeded 64-bit hash of their key, never by the key itself.
//
// Only users whose cooldown has expired are ever evicted, so eviction never
// lets anyone skip a cooldown. If the table is full of users who are all
// still cooling down, a request from a new user is refused with ScopeUserTable
// until the oldest cooldown ends (a degraded mode that fails closed). With
// global pacing on, at most Burst + UserCooldown/Every users can be cooling
// down at once, so a MaxUsers one larger (Config.MaxCoolingUsers) makes
// the degraded mode unreachable; New and Reconfigure do not enforce
// it, so a config checker may warn.
//
// # User keys
//
// Allow takes a caller-built key; AllowUser builds one from the platform and
// a danmu.User. Viewers the platform does not identify (empty or "0" id, or
// Masked) share one key per platform, and so one cooldown: on a busy
// Bilibili room all guests together get one command per UserCooldown. The
// two build keys differently: use one of them per Limiter.
//
// # Concurrency
//
// A Limiter is safe for concurrent use; each call holds one mutex for a few
// hundred nanoseconds.
package limit
