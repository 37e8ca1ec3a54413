package main

// The Chinese README must keep step with the English one: the same sections in the
// same order and the same shell commands, so a streamer following either guide types
// the same things. Sections are paired through zhHeadings below, not through markers
// in README.md: the English file stays free of translation scaffolding, and a new
// English section fails this test with a message that names the line to add here.
// The test also checks that every relative link in the Chinese documents resolves to
// a file (and, for Markdown targets, to a heading) in the repository.

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// zhHeadings pairs every ## and ### heading of README.md with its heading in
// README.zh-CN.md. When README.md gains a section, translate it into README.zh-CN.md
// at the same place and add the pair here.
var zhHeadings = map[string]string{
	"What you see":                            "效果演示",
	"How chat becomes movement":               "弹幕如何变成动作",
	"rules.yaml: the configuration guide":     "rules.yaml 配置指南",
	"The room: gifts, votes and moderators":   "直播间玩法：礼物、投票和房管",
	"CLI reference":                           "命令行参考",
	"Chat sources":                            "弹幕来源",
	"Bilibili Open Platform (身份码, no cookie)": "B站直播开放平台（身份码，不用 Cookie）",
	"Safety":                      "安全",
	"Overlay and control panel":   "直播叠加层与控制面板",
	"Replaying yesterday's chat":  "回放昨天的弹幕",
	"Hardware":                    "硬件",
	"A feather wand":              "逗猫棒",
	"Parts":                       "材料清单",
	"Wiring":                      "接线",
	"Raspberry Pi 5 notes":        "树莓派 5 注意事项",
	"Enabling I²C and PWM":        "开启 I²C 和 PWM",
	"Running as non-root":         "不用 root 运行",
	"Installing the service":      "安装为系统服务",
	"Calibrating the servos":      "校准舵机",
	"rules.yaml hardware section": "rules.yaml 的 hardware 部分",
	"Running on the Pi":           "在树莓派上运行",
	"Home Assistant (MQTT)":       "Home Assistant（MQTT）",
	"Two machines":                "两台机器",
	"Development":                 "开发",
}

const (
	readmeEN = "../../README.md"
	readmeZH = "../../README.zh-CN.md"
	repoRoot = "../.."
)

// mdLine is one line of a Markdown file with what the parser knows about it.
type mdLine struct {
	text   string
	fence  string // the info string of the code block the line is in, or "" outside
	inCode bool
}

// parseMarkdown splits a document into lines and marks those inside fenced code
// blocks (the fence lines themselves count as code).
func parseMarkdown(doc string) []mdLine {
	var out []mdLine
	inCode, info := false, ""
	for _, l := range strings.Split(doc, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			if !inCode {
				inCode, info = true, strings.TrimSpace(strings.TrimPrefix(t, "```"))
			} else {
				inCode, info = false, ""
			}
			out = append(out, mdLine{text: l, inCode: true})
			continue
		}
		out = append(out, mdLine{text: l, fence: info, inCode: inCode})
	}
	return out
}

// headingsOf returns the text of the headings whose level is in levels.
func headingsOf(lines []mdLine, levels ...int) []string {
	var hs []string
	for _, l := range lines {
		if l.inCode {
			continue
		}
		n := len(l.text) - len(strings.TrimLeft(l.text, "#"))
		if n > 0 && strings.HasPrefix(l.text[n:], " ") && slices.Contains(levels, n) {
			hs = append(hs, strings.TrimSpace(l.text[n:]))
		}
	}
	return hs
}

// stripComment cuts a shell comment (a # after white space, outside quotes).
func stripComment(s string) string {
	var quote rune
	prev := ' '
	for i, r := range s {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && unicode.IsSpace(prev):
			return strings.TrimSpace(s[:i])
		}
		prev = r
	}
	return strings.TrimSpace(s)
}

// commandsOf returns the set of command lines: every line of a sh, console or bash
// block, and the lines starting with "$ " or "cattease " in other code blocks.
// Comments are prose and may be translated, so they are left out.
func commandsOf(lines []mdLine) map[string]bool {
	set := map[string]bool{}
	for _, l := range lines {
		if !l.inCode || strings.HasPrefix(strings.TrimSpace(l.text), "```") {
			continue
		}
		t := strings.TrimSpace(l.text)
		shell := l.fence == "sh" || l.fence == "console" || l.fence == "bash"
		if !shell && !strings.HasPrefix(t, "$ ") && !strings.HasPrefix(t, "cattease ") {
			continue
		}
		if c := stripComment(t); c != "" {
			set[c] = true
		}
	}
	return set
}

func readDoc(t *testing.T, path string) []mdLine {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return parseMarkdown(string(b))
}

func TestDocsSameSections(t *testing.T) {
	en := headingsOf(readDoc(t, readmeEN), 2, 3)
	zh := headingsOf(readDoc(t, readmeZH), 2, 3)
	if len(en) == 0 {
		t.Fatal("README.md: no ## or ### headings found")
	}
	var want []string
	for _, h := range en {
		z, ok := zhHeadings[h]
		if !ok {
			t.Errorf("README.md section %q has no Chinese heading: translate it into README.zh-CN.md and add the pair to zhHeadings in docs_test.go", h)
			continue
		}
		want = append(want, z)
	}
	if !slices.Equal(want, zh) {
		t.Errorf("README.zh-CN.md sections differ from README.md's (in order):\nwant %q\n got %q", want, zh)
	}
}

func TestDocsSameCommands(t *testing.T) {
	en := commandsOf(readDoc(t, readmeEN))
	zh := commandsOf(readDoc(t, readmeZH))
	if len(en) == 0 {
		t.Fatal("README.md: no shell commands found")
	}
	for c := range en {
		if !zh[c] {
			t.Errorf("README.zh-CN.md lacks the command %q", c)
		}
	}
	for c := range zh {
		if !en[c] {
			t.Errorf("README.zh-CN.md has a command README.md lacks: %q", c)
		}
	}
}

// chineseDocs lists README.zh-CN.md and docs/zh/*.md, relative to the repository.
func chineseDocs(t *testing.T) []string {
	t.Helper()
	guides, err := filepath.Glob(filepath.Join(repoRoot, "docs", "zh", "*.md"))
	if err != nil || len(guides) == 0 {
		t.Fatalf("no docs/zh/*.md found (%v)", err)
	}
	return append([]string{readmeZH}, guides...)
}

func TestDocsReadmesLinkEachOther(t *testing.T) {
	for _, c := range []struct{ from, to string }{{readmeEN, "README.zh-CN.md"}, {readmeZH, "README.md"}} {
		var top strings.Builder
		for _, l := range readDoc(t, c.from) {
			if strings.HasPrefix(l.text, "# ") {
				break
			}
			top.WriteString(l.text)
		}
		if !strings.Contains(top.String(), "]("+c.to+")") {
			t.Errorf("%s: link to %s missing above the title", filepath.Base(c.from), c.to)
		}
	}
}

func TestDocsZhGuidesLinkedFromReadme(t *testing.T) {
	zh, err := os.ReadFile(readmeZH)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range chineseDocs(t)[1:] {
		rel := "docs/zh/" + filepath.Base(g)
		if !strings.Contains(string(zh), "]("+rel) {
			t.Errorf("README.zh-CN.md does not link to %s", rel)
		}
	}
}

var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

func TestDocsZhLinksResolve(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range chineseDocs(t) {
		lines := readDoc(t, doc)
		for i, l := range lines {
			if l.inCode {
				continue
			}
			for _, m := range linkRE.FindAllStringSubmatch(l.text, -1) {
				if msg := checkLink(root, doc, m[1]); msg != "" {
					t.Errorf("%s:%d: link %s: %s", filepath.Base(doc), i+1, m[1], msg)
				}
			}
		}
	}
}

// checkLink says what is wrong with a relative link from doc, or "" when it resolves.
func checkLink(root, doc, link string) string {
	if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
		return ""
	}
	target, frag, _ := strings.Cut(link, "#")
	path := doc
	if target != "" {
		path = filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err.Error()
	}
	if rel, err := filepath.Rel(root, abs); err != nil || strings.HasPrefix(rel, "..") {
		return "points outside the repository"
	}
	if _, err := os.Stat(abs); err != nil {
		return "no such file"
	}
	if frag == "" || !strings.HasSuffix(abs, ".md") {
		return ""
	}
	b, err := os.ReadFile(abs)
	if err != nil {
		return err.Error()
	}
	if !slices.Contains(anchorsOf(parseMarkdown(string(b))), frag) {
		return "no heading with this anchor"
	}
	return ""
}

// anchorsOf returns the anchors GitHub gives a document's headings: lower case,
// letters, digits, marks, '-' and '_' kept, spaces turned into '-', the rest dropped,
// and -1, -2, … appended to repeats.
func anchorsOf(lines []mdLine) []string {
	var out []string
	seen := map[string]int{}
	for _, h := range headingsOf(lines, 1, 2, 3, 4, 5, 6) {
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsMark(r), r == '-', r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out = append(out, a+"-"+strconv.Itoa(n))
		} else {
			out = append(out, a)
		}
		seen[a]++
	}
	return out
}

func TestDocsHelpers(t *testing.T) {
	doc := parseMarkdown("# T\n## rules.yaml: the guide\n```sh\n# not a heading\nmake demo    # 试试\necho 'a # b'\n```\n" +
		"### 开启 I²C 和 PWM\n```\n$ cattease check -c rules.yaml\nrules.yaml:1:1: x\n```\n## Safety\n## Safety\n")
	if got, want := anchorsOf(doc), []string{"t", "rulesyaml-the-guide", "开启-i²c-和-pwm", "safety", "safety-1"}; !slices.Equal(got, want) {
		t.Errorf("anchors %q, want %q", got, want)
	}
	cmds := commandsOf(doc)
	want := map[string]bool{"make demo": true, "echo 'a # b'": true, "$ cattease check -c rules.yaml": true}
	if len(cmds) != len(want) {
		t.Errorf("commands %v, want %v", cmds, want)
	}
	for c := range want {
		if !cmds[c] {
			t.Errorf("commands %v lack %q", cmds, c)
		}
	}
}
