// Package match turns a chat message into a command, or says it is ordinary
// chat.
//
// It is pure: no I/O, no clock, no config decoding. The rule engine builds a
// [Matcher] from the commands in rules.yaml with [New] (at load and at every
// reload) and calls [Matcher.Match] for every chat event. A Matcher is
// immutable and safe for concurrent use.
//
// # Normalization
//
// Aliases (at build time) and messages (at match time) go through the same
// [Normalize]:
//
//  1. invisible characters are dropped: zero-width space/joiners (U+200B–U+200D),
//     BOM (U+FEFF), word joiner (U+2060), soft hyphen, bidi controls, variation
//     selectors (U+FE0F …), tag characters, Hangul fillers, control characters
//     other than whitespace — every Unicode Default_Ignorable code point;
//  2. NFKC: full-width letters, digits and punctuation become ASCII
//     (ｌｅｆｔ → left, ３ → 3, ！ → !, ～ → ~), the ideographic space U+3000
//     becomes a space, circled and superscript digits become digits (③ → 3);
//     NFKC includes golang.org/x/text/width's Fold, which a test checks for
//     every code point;
//  3. lower case (LEFT → left);
//  4. runs of more than 8 combining marks are cut to 8 ("zalgo" text);
//  5. whitespace runs become one space; leading and trailing space go;
//  6. trailing punctuation, symbols and emoji go (。！!~～…?？,，.、😺 [doge]'s
//     "]"…), arrows excepted (← → ↑ ↓ are commands). A string made only of
//     such characters is kept as it is, so "!!" or "👍" can still be aliases.
//
// # Matching
//
// Only the start of a message can be a command, and only the first
// [MaxExamine] bytes of a message are read, so a 1 MB message costs no more
// than a short one. After normalization the message must begin with an alias
// (the longest alias that fits wins; if it does not form a command, shorter
// ones are tried), optionally followed by a repeat, and then by a boundary:
// the end, a space, or any character that is not a letter, a digit or a
// combining mark (punctuation, symbols, emoji, arrows). Everything after the
// boundary is ignored. So
//
//	左            → 左 ×1          左边那个猫好可爱  → ordinary chat (边 is glued on)
//	左 哈哈哈     → 左 ×1          我想要左          → ordinary chat (not at the start)
//	左！！        → 左 ×1          左3楼             → ordinary chat
//	左，右        → 左 ×1          左哈哈            → ordinary chat
//
// A repeat is one of
//
//	左3  左３  左③  left3            digits right after the alias
//	左x3 左×3 左*3 左✕3 左 x3 左 × 3  a marker (x × * ✕ ✖), spaces allowed around it
//	左 3                             a space and digits
//	左三 左两下 左十                  Chinese numerals (一二两三…十百千万, 零/〇 = 0)
//	左3次 左三下 左3步               a count may end in 次, 下 or 步
//	左左左  leftleft  ←←←            the same alias written again with nothing between
//
// and is capped at the command's MaxRepeat (default [DefaultMaxRepeat]), so
// one message can never become a burst: 左99999999999999999999 is 左 ×5 with
// Capped set. A count of zero (左0, 左零, 左 0) makes the message ordinary
// chat, and so does a signed or decimal number glued to the command (左-1,
// 左+2, 左1.5). Self-repetition and a count do not mix: 左左3 is ordinary
// chat. A count after a space that is not followed by a boundary is not a
// count: "左 3楼好可爱" is 左 ×1 (the first token is 左).
//
// Commands with a Regex are tried only when no alias matches, in the order
// given. The regex is matched case-insensitively and anchored at both ends
// against the first token of the normalized message, so write it in
// normalized form (half-width, no invisible characters). The first token is
// tried twice: as the message up to its first space, with trailing
// decorations removed, and then, if that is different, only up to the first
// place after a letter or digit where an alias could end (喵喵～[doge] is
// tried as "喵喵~[doge" and then as "喵喵"). A named group "count" is read as
// the repeat count (digits or Chinese numerals, and nothing else); a count of
// zero or an unreadable one means that regex does not match. Aliases need no
// regex machinery at all: use a regex only for what a list of aliases cannot
// say, such as 喵+ (any number of 喵).
package match
