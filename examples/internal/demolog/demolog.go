// Package demolog is the compact, readable log the example programs print:
// the time of day, the level when it is not INFO, the message and its
// fields, and who wrote it.
package demolog

import (
	"io"
	"log/slog"
)

// New returns a logger writing to w, each line tagged who=who.
func New(w io.Writer, who string) *slog.Logger {
	h := slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		switch a.Key {
		case slog.TimeKey:
			return slog.String("t", a.Value.Time().Format("15:04:05.000"))
		case slog.LevelKey:
			if a.Value.Any().(slog.Level) == slog.LevelInfo {
				return slog.Attr{}
			}
		}
		return a
	}})
	return slog.New(h).With("who", who)
}
