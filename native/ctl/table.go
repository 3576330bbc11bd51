package ctl

// The table format: a boxed table, the header in upper case and centred,
// the cells right aligned, one space of margin inside each border:
//
//	+----------+------+
//	|  HEADER  | H2   |
//	+----------+------+
//	|     cell |    x |
//	+----------+------+
//
// A cell wider than maxCellWidth that has spaces is wrapped onto several
// lines (at the longest word if a word alone is wider). This is the layout
// of the table library etcdctl uses (olekukonko/tablewriter, its defaults
// with right alignment), rewritten here.

import (
	"strings"
	"unicode/utf8"
)

// maxCellWidth is where a cell wraps, tablewriter's default.
const maxCellWidth = 30

func (p *Printer) table(header []string, rows [][]string) {
	var lines []string
	heads := make([][]string, len(header))
	for i, h := range header {
		heads[i] = []string{strings.ToUpper(strings.ReplaceAll(h, "_", " "))}
	}
	cells := make([][][]string, len(rows))
	for r, row := range rows {
		cells[r] = make([][]string, len(row))
		for c, v := range row {
			cells[r][c] = wrapCell(v)
		}
	}
	widths := columnWidths(heads, cells)
	border := tableBorder(widths)
	lines = append(lines, border)
	lines = append(lines, tableRow(heads, widths, alignCenter)...)
	lines = append(lines, border)
	for _, row := range cells {
		lines = append(lines, tableRow(row, widths, alignRight)...)
	}
	lines = append(lines, border)
	for _, l := range lines {
		p.println(l)
	}
}

// columnWidths is the widest line of each column, header included.
func columnWidths(header [][]string, rows [][][]string) []int {
	widths := make([]int, len(header))
	measure := func(row [][]string) {
		for c, cell := range row {
			for _, line := range cell {
				if n := utf8.RuneCountInString(line); c < len(widths) && n > widths[c] {
					widths[c] = n
				}
			}
		}
	}
	measure(header)
	for _, row := range rows {
		measure(row)
	}
	return widths
}

func tableBorder(widths []int) string {
	var sb strings.Builder
	sb.WriteString("+")
	for _, w := range widths {
		sb.WriteString(strings.Repeat("-", w+2))
		sb.WriteString("+")
	}
	return sb.String()
}

type alignment func(s string, width int) string

func alignCenter(s string, width int) string {
	pad := width - utf8.RuneCountInString(s)
	left := pad / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", pad-left)
}

func alignRight(s string, width int) string {
	return strings.Repeat(" ", width-utf8.RuneCountInString(s)) + s
}

// tableRow lays one row out; a row with wrapped cells takes several lines.
func tableRow(row [][]string, widths []int, align alignment) []string {
	height := 1
	for _, cell := range row {
		height = max(height, len(cell))
	}
	out := make([]string, height)
	for i := range height {
		var sb strings.Builder
		sb.WriteString("|")
		for c, w := range widths {
			text := ""
			if c < len(row) && i < len(row[c]) {
				text = row[c][i]
			}
			sb.WriteString(" " + align(text, w) + " |")
		}
		out[i] = sb.String()
	}
	return out
}

// wrapCell splits a wide cell at spaces into lines no wider than
// maxCellWidth, or than its longest word if that is wider.
func wrapCell(s string) []string {
	if utf8.RuneCountInString(s) <= maxCellWidth {
		return []string{s}
	}
	words := strings.Fields(s)
	if len(words) <= 1 {
		return []string{s}
	}
	limit := maxCellWidth
	for _, w := range words {
		limit = max(limit, utf8.RuneCountInString(w))
	}
	var lines []string
	line := words[0]
	for _, w := range words[1:] {
		if utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > limit {
			lines = append(lines, line)
			line = w
			continue
		}
		line += " " + w
	}
	return append(lines, line)
}
