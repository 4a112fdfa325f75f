package backoffice

import (
	"net/url"
	"strconv"
)

// pager is the page-number navigation under a list.
type pager struct {
	Lang        string
	Total       int
	Page, Pages int
	Links       []pageLink // around the current page; a zero N is a gap
	Prev, Next  string     // URLs, "" at either end
}

// pageLink is one page number and its URL.
type pageLink struct {
	N       int
	URL     string
	Current bool
}

// newPager builds the navigation of a list of total items shown size per
// page, the current page being page; links keep the other query values and
// set param (and the fragment anchor, when given).
func newPager(lang, path string, query url.Values, param, anchor string, page, size, total int) pager {
	pages := max(1, (total+size-1)/size)
	page = min(max(page, 1), pages)
	link := func(n int) string {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set(param, strconv.Itoa(n))
		u := path + "?" + q.Encode()
		if anchor != "" {
			u += "#" + anchor
		}
		return u
	}
	p := pager{Lang: lang, Total: total, Page: page, Pages: pages}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, pageLink{})
		}
		p.Links = append(p.Links, pageLink{N: n, URL: link(n), Current: n == page})
		last = n
	}
	return p
}

// pageParam reads a 1-based page number from the query.
func pageParam(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 1
	}
	return n
}
