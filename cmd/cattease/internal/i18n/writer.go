package i18n

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strings"
)

// maxWrite bounds the text one Write translates; a larger write (a dump,
// not a message) passes through as it is.
const maxWrite = 64 << 10

// Writer translates each line written through it with a catalogue. It
// keeps no state between writes, so it is as safe for concurrent use as
// the writer below it. JSON lines pass through untouched.
type Writer struct {
	w io.Writer
	c *Catalog
}

// Wrap returns w translating into language l, or w itself for English.
func Wrap(w io.Writer, l Lang) io.Writer {
	c := For(l)
	if c == nil {
		return w
	}
	return &Writer{w: w, c: c}
}

// Unwrap returns the writer below a Writer and its catalogue, or w and
// nil: a log handler writes below the translation and translates only
// the message of each record.
func Unwrap(w io.Writer) (io.Writer, *Catalog) {
	if t, ok := w.(*Writer); ok {
		return t.w, t.c
	}
	return w, nil
}

// Write translates p line by line and writes the result at once.
func (t *Writer) Write(p []byte) (int, error) {
	if len(p) > maxWrite {
		return t.w.Write(p)
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(p), "\n") {
		text, nl := strings.CutSuffix(line, "\n")
		b.WriteString(t.c.TranslateLine(text))
		if nl {
			b.WriteByte('\n')
		}
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

var flagDefault = regexp.MustCompile(`^(.*) \(default (.*)\)$`)

// TranslateLine translates one line of terminal output, keeping its
// indentation. A flag's usage line, as flag.PrintDefaults writes it
// ("\tthe rules file (default "x")", "-q\tno live view"), has its usage
// translated.
func (c *Catalog) TranslateLine(line string) string {
	body := strings.TrimLeft(line, " \t")
	indent := line[:len(line)-len(body)]
	if c == nil || body == "" || body[0] == '{' || len(body) > maxMessage {
		return line
	}
	j := c.job()
	if out, ok := j.translate(body, 0); ok {
		return indent + out
	}
	if m := flagDefault.FindStringSubmatch(body); m != nil {
		if out, ok := j.translate(m[1], 0); ok {
			return indent + out + "（默认 " + m[2] + "）"
		}
	}
	if i := strings.LastIndexByte(body, '\t'); i > 0 { // "-q\tusage": a one-letter bool flag
		return indent + body[:i+1] + c.TranslateLine(body[i+1:])
	}
	return line
}

// Handler translates the message of each log record and hands the
// record to the handler below. Attributes are left as they are.
type Handler struct {
	h slog.Handler
	c *Catalog
}

// NewHandler returns h translating messages with c, or h itself when c
// is nil (English).
func NewHandler(h slog.Handler, c *Catalog) slog.Handler {
	if c == nil {
		return h
	}
	return &Handler{h: h, c: c}
}

// Enabled implements slog.Handler.
func (t *Handler) Enabled(ctx context.Context, l slog.Level) bool { return t.h.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (t *Handler) Handle(ctx context.Context, r slog.Record) error {
	r.Message = t.c.Translate(r.Message)
	return t.h.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (t *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	return &Handler{h: t.h.WithAttrs(as), c: t.c}
}

// WithGroup implements slog.Handler.
func (t *Handler) WithGroup(name string) slog.Handler {
	return &Handler{h: t.h.WithGroup(name), c: t.c}
}

var _ slog.Handler = (*Handler)(nil)
