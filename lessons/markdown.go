package lessons

// A small Markdown renderer for lesson text, so that the browser receives
// ready HTML and the site needs no Markdown library. It knows what lessons
// use and nothing more:
//
//	blocks:  paragraphs, ### and #### headings, - or * lists, 1. lists,
//	         > quotes, ``` fenced code, | pipe | tables |
//	inline:  `code`, **strong**, *emphasis*, [text](url)
//
// Every character of the source is HTML-escaped before markup is added, so
// a lesson cannot inject markup; links may only be http(s), relative or
// fragment URLs.

import (
	"html"
	"regexp"
	"strings"
)

// render fills every *HTML field of a parsed lesson.
func render(l *Lesson) {
	l.IntroHTML = Markdown(l.Intro)
	for i := range l.Steps {
		st := &l.Steps[i]
		st.NarrationHTML = Markdown(st.Narration)
		if t := st.Task; t != nil {
			t.DoHTML, t.HintHTML = Markdown(t.Do), Markdown(t.Hint)
		}
		if q := st.Question; q != nil {
			q.PromptHTML = Markdown(q.Prompt)
			for j := range q.Answers {
				a := &q.Answers[j]
				a.TextHTML, a.FeedbackHTML = Inline(a.Text), Markdown(a.Feedback)
			}
		}
	}
}

// Markdown renders block-level Markdown to HTML.
func Markdown(src string) string {
	var out strings.Builder
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			i++
		case strings.HasPrefix(trimmed, "```"):
			i = codeFence(&out, lines, i)
		case strings.HasPrefix(trimmed, "#### "):
			out.WriteString("<h4>" + Inline(trimmed[5:]) + "</h4>\n")
			i++
		case strings.HasPrefix(trimmed, "### "):
			out.WriteString("<h3>" + Inline(trimmed[4:]) + "</h3>\n")
			i++
		case strings.HasPrefix(trimmed, "> "), trimmed == ">":
			i = quote(&out, lines, i)
		case strings.HasPrefix(trimmed, "|"):
			i = table(&out, lines, i)
		case bulletItem(trimmed) != "", orderedItem(trimmed) != "":
			i = list(&out, lines, i)
		default:
			i = paragraph(&out, lines, i)
		}
	}
	return out.String()
}

func codeFence(out *strings.Builder, lines []string, i int) int {
	lang := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(lines[i]), "```"))
	var body []string
	for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
		body = append(body, lines[i])
	}
	class := ""
	if lang != "" {
		class = ` class="language-` + html.EscapeString(lang) + `"`
	}
	out.WriteString("<pre><code" + class + ">" + html.EscapeString(strings.Join(body, "\n")) + "</code></pre>\n")
	return i + 1
}

func quote(out *strings.Builder, lines []string, i int) int {
	var body []string
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t != ">" && !strings.HasPrefix(t, "> ") {
			break
		}
		body = append(body, strings.TrimPrefix(strings.TrimPrefix(t, ">"), " "))
	}
	out.WriteString("<blockquote>\n" + Markdown(strings.Join(body, "\n")) + "</blockquote>\n")
	return i
}

var tableRule = regexp.MustCompile(`^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$`)

func table(out *strings.Builder, lines []string, i int) int {
	var rows [][]string
	for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
		t := strings.Trim(strings.TrimSpace(lines[i]), "|")
		if tableRule.MatchString(strings.TrimSpace(lines[i])) {
			continue
		}
		rows = append(rows, strings.Split(t, "|"))
	}
	out.WriteString("<table>\n")
	for r, cells := range rows {
		tag := "td"
		if r == 0 {
			tag = "th"
		}
		out.WriteString("<tr>")
		for _, c := range cells {
			out.WriteString("<" + tag + ">" + Inline(strings.TrimSpace(c)) + "</" + tag + ">")
		}
		out.WriteString("</tr>\n")
	}
	out.WriteString("</table>\n")
	return i
}

func bulletItem(t string) string {
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
		return t[2:]
	}
	return ""
}

var orderedPrefix = regexp.MustCompile(`^\d+\. `)

func orderedItem(t string) string {
	if loc := orderedPrefix.FindStringIndex(t); loc != nil {
		return t[loc[1]:]
	}
	return ""
}

// list renders consecutive items of one kind; an indented line continues
// the item above it.
func list(out *strings.Builder, lines []string, i int) int {
	item, tag := bulletItem, "ul"
	if orderedItem(strings.TrimSpace(lines[i])) != "" {
		item, tag = orderedItem, "ol"
	}
	var items []string
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" {
			break
		}
		if text := item(t); text != "" && !strings.HasPrefix(lines[i], "  ") {
			items = append(items, text)
			continue
		}
		if len(items) == 0 || !strings.HasPrefix(lines[i], " ") {
			break
		}
		items[len(items)-1] += " " + t
	}
	out.WriteString("<" + tag + ">\n")
	for _, it := range items {
		out.WriteString("<li>" + Inline(it) + "</li>\n")
	}
	out.WriteString("</" + tag + ">\n")
	return i
}

func paragraph(out *strings.Builder, lines []string, i int) int {
	var body []string
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "```") || strings.HasPrefix(t, "#") ||
			strings.HasPrefix(t, "> ") || strings.HasPrefix(t, "|") ||
			(len(body) > 0 && (bulletItem(t) != "" || orderedItem(t) != "")) {
			break
		}
		body = append(body, t)
	}
	out.WriteString("<p>" + Inline(strings.Join(body, " ")) + "</p>\n")
	return i
}

var (
	strongRe = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	emRe     = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
	linkRe   = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

// Inline renders the inline Markdown of one paragraph or item. Code spans
// are cut out first so that nothing inside them is interpreted.
func Inline(src string) string {
	var out strings.Builder
	parts := strings.Split(src, "`")
	for i, part := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			out.WriteString("<code>" + html.EscapeString(part) + "</code>")
			continue
		}
		if i%2 == 1 {
			part = "`" + part // an unpaired backtick stays literal
		}
		s := html.EscapeString(part)
		s = linkRe.ReplaceAllStringFunc(s, link)
		s = strongRe.ReplaceAllString(s, "<strong>$1</strong>")
		s = emRe.ReplaceAllString(s, "<em>$1</em>")
		out.WriteString(s)
	}
	return out.String()
}

// link renders an escaped [text](url), refusing schemes other than http(s).
func link(m string) string {
	sub := linkRe.FindStringSubmatch(m)
	url := sub[2]
	if i := strings.Index(url, ":"); i >= 0 && !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") &&
		(strings.IndexAny(url, "/?#") < 0 || strings.IndexAny(url, "/?#") > i) {
		return m
	}
	return `<a href="` + url + `">` + sub[1] + `</a>`
}
