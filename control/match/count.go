package match

import "unicode/utf8"

// saturated is where counts stop growing: 左99999999999999999999 asks for
// saturated repeats, never an overflowed number.
const saturated = 1_000_000

// isMarker reports whether r introduces a count, as in 左x3 左×3 左*3.
// (Ｘ and ＊ are x and * after normalization.)
func isMarker(r rune) bool {
	return r == 'x' || r == '*' || r == '×' || r == '✕' || r == '✖'
}

// isCounter reports whether r may follow a count, as in 左3次 左三下 左3步.
func isCounter(r rune) bool {
	return r == '次' || r == '下' || r == '步'
}

// chineseDigit returns the value of a Chinese numeral character: 0–9 for
// digits, 10, 100, 1000 or 10000 for the units 十百千万, or -1.
func chineseDigit(r rune) int {
	switch r {
	case '零', '〇':
		return 0
	case '一':
		return 1
	case '二', '两':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	case '万':
		return 10000
	}
	return -1
}

func sat(n int) int { return min(n, saturated) }

// mulSat returns a*b saturated, for 0 <= a, b <= saturated, without
// overflowing a 32-bit int (linux/arm).
func mulSat(a, b int) int {
	if b != 0 && a > saturated/b {
		return saturated
	}
	return a * b
}

// parseNumber reads ASCII digits or Chinese numerals at t[i:]. It returns the
// value (saturated), the index after the number, and false if there is no
// number at i.
func parseNumber(t []byte, i int) (n, j int, ok bool) {
	if i < len(t) && '0' <= t[i] && t[i] <= '9' {
		for j = i; j < len(t) && '0' <= t[j] && t[j] <= '9'; j++ {
			n = sat(n*10 + int(t[j]-'0'))
		}
		return n, j, true
	}
	// Chinese: 三 = 3, 十 = 10, 十五 = 15, 二十五 = 25, 一百零五 = 105, 一二三 = 123.
	total, section, cur := 0, 0, 0
	j = i
	for j < len(t) {
		r, size := utf8.DecodeRune(t[j:])
		d := chineseDigit(r)
		if d < 0 {
			break
		}
		j += size
		switch {
		case d < 10:
			cur = sat(cur*10 + d)
		case d == 10000:
			section += cur
			if section == 0 {
				section = 1
			}
			total = sat(total + mulSat(section, d))
			section, cur = 0, 0
		default:
			if cur == 0 {
				cur = 1
			}
			section = sat(section + mulSat(cur, d))
			cur = 0
		}
	}
	if j == i {
		return 0, i, false
	}
	return sat(total + section + cur), j, true
}

// parseCount reads a repeat count at t[i:]: an optional marker with an
// optional space after it, a number, and an optional counter word. It
// returns the count, the index after it, and false if there is no number.
func parseCount(t []byte, i int) (n, j int, ok bool) {
	if i < len(t) {
		r, size := rune(t[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(t[i:])
		}
		if isMarker(r) {
			i += size
			if i < len(t) && t[i] == ' ' {
				i++
			}
		}
	}
	n, j, ok = parseNumber(t, i)
	if !ok {
		return 0, i, false
	}
	if j < len(t) {
		if r, size := utf8.DecodeRune(t[j:]); isCounter(r) {
			j += size
		}
	}
	return n, j, true
}

// atBoundary reports whether a command may end at t[i]: at the end, a space,
// or any character that is not a letter, digit or combining mark, except a
// sign or decimal point glued to a digit (左-1, 左+2, 左1.5 are not commands).
func atBoundary(t []byte, i int) bool {
	if i >= len(t) {
		return true
	}
	c := t[i]
	if c < utf8.RuneSelf {
		if c == '-' || c == '+' || c == '.' {
			return i+1 >= len(t) || t[i+1] < '0' || t[i+1] > '9'
		}
		return !wordRune(rune(c))
	}
	r, size := utf8.DecodeRune(t[i:])
	if r == '−' { // U+2212 MINUS SIGN
		return i+size >= len(t) || t[i+size] < '0' || t[i+size] > '9'
	}
	return !wordRune(r)
}
