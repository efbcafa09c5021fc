package jsonschema

import (
	"errors"
	"strings"
)

// This file ports the parts of Python 3.11's urllib.parse that
// jsonschema's RefResolver and validator_for use (urlsplit, urlparse,
// urlunsplit, urlunparse, urljoin, urldefrag), as Debian's python3.11
// ships them: "$schema" is looked up after urlsplit(uri).geturl(), and
// every "$ref" and "$id" is joined onto the resolution scope with urljoin,
// whose results differ from RFC 3986 (and from net/url) in the corners.

// errPyURL is where Python's urlsplit raises ValueError.
var errPyURL = errors.New("invalid URL (Python raises ValueError)")

func usesRelative(s string) bool {
	switch s {
	case "", "ftp", "http", "gopher", "nntp", "imap", "wais", "file", "https", "shttp", "mms",
		"prospero", "rtsp", "rtspu", "sftp", "svn", "svn+ssh", "ws", "wss":
		return true
	}
	return false
}

func usesNetloc(s string) bool {
	switch s {
	case "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp",
		"snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss":
		return true
	}
	return false
}

func usesParams(s string) bool {
	switch s {
	case "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtspu", "sip", "sips",
		"mms", "sftp", "tel":
		return true
	}
	return false
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

type splitURL struct {
	scheme, netloc, path, query, fragment string
}

// urlsplit is urllib.parse.urlsplit(url, scheme) with allow_fragments.
func urlsplit(url, scheme string) (splitURL, error) {
	// lstrip(_WHATWG_C0_CONTROL_OR_SPACE): bytes 0x00-0x20.
	for len(url) > 0 && url[0] <= ' ' {
		url = url[1:]
	}
	if strings.ContainsAny(url, "\t\r\n") {
		url = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(url)
	}
	var u splitURL
	u.scheme = scheme
	if i := strings.IndexByte(url, ':'); i > 0 && (url[0] >= 'a' && url[0] <= 'z' || url[0] >= 'A' && url[0] <= 'Z') {
		ok := true
		for j := 0; j < i; j++ {
			if !isSchemeChar(url[j]) {
				ok = false
				break
			}
		}
		if ok {
			u.scheme, url = strings.ToLower(url[:i]), url[i+1:]
		}
	}
	if strings.HasPrefix(url, "//") {
		end := len(url)
		for _, c := range "/?#" {
			if j := strings.IndexRune(url[2:], c); j >= 0 && j+2 < end {
				end = j + 2
			}
		}
		u.netloc, url = url[2:end], url[end:]
		open, closed := strings.Contains(u.netloc, "["), strings.Contains(u.netloc, "]")
		if open != closed || open {
			// Unbalanced brackets raise; balanced ones go through
			// ipaddress checks this port does not make.
			return u, errPyURL
		}
		for i := 0; i < len(u.netloc); i++ {
			if u.netloc[i] >= 0x80 {
				// _checknetloc's NFKC test: not ported.
				return u, errPyURL
			}
		}
	}
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, u.fragment = url[:i], url[i+1:]
	}
	if i := strings.IndexByte(url, '?'); i >= 0 {
		url, u.query = url[:i], url[i+1:]
	}
	u.path = url
	return u, nil
}

// urlunsplit puts the parts back together (geturl()).
func urlunsplit(u splitURL) string {
	url := u.path
	if u.netloc != "" || u.scheme != "" && usesNetloc(u.scheme) && !strings.HasPrefix(url, "//") {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + u.netloc + url
	}
	if u.scheme != "" {
		url = u.scheme + ":" + url
	}
	if u.query != "" {
		url += "?" + u.query
	}
	if u.fragment != "" {
		url += "#" + u.fragment
	}
	return url
}

// normalizeURI is jsonschema's URIDict.normalize: urlsplit(uri).geturl().
func normalizeURI(uri string) (string, error) {
	u, err := urlsplit(uri, "")
	if err != nil {
		return "", err
	}
	return urlunsplit(u), nil
}

type parsedURL struct {
	splitURL
	params string
}

func urlparse(url, scheme string) (parsedURL, error) {
	s, err := urlsplit(url, scheme)
	if err != nil {
		return parsedURL{}, err
	}
	p := parsedURL{splitURL: s}
	if usesParams(s.scheme) && strings.Contains(s.path, ";") {
		path := s.path
		var i int
		if strings.Contains(path, "/") {
			i = strings.IndexByte(path[strings.LastIndexByte(path, '/'):], ';')
			if i >= 0 {
				i += strings.LastIndexByte(path, '/')
			}
		} else {
			i = strings.IndexByte(path, ';')
		}
		if i >= 0 {
			p.path, p.params = path[:i], path[i+1:]
		}
	}
	return p, nil
}

func urlunparse(p parsedURL) string {
	s := p.splitURL
	if p.params != "" {
		s.path += ";" + p.params
	}
	return urlunsplit(s)
}

// urljoin is urllib.parse.urljoin(base, url).
func urljoin(base, url string) (string, error) {
	if base == "" {
		return url, nil
	}
	if url == "" {
		return base, nil
	}
	b, err := urlparse(base, "")
	if err != nil {
		return "", err
	}
	u, err := urlparse(url, b.scheme)
	if err != nil {
		return "", err
	}
	if u.scheme != b.scheme || !usesRelative(u.scheme) {
		return url, nil
	}
	if usesNetloc(u.scheme) {
		if u.netloc != "" {
			return urlunparse(u), nil
		}
		u.netloc = b.netloc
	}
	if u.path == "" && u.params == "" {
		u.path, u.params = b.path, b.params
		if u.query == "" {
			u.query = b.query
		}
		return urlunparse(u), nil
	}
	baseParts := strings.Split(b.path, "/")
	if baseParts[len(baseParts)-1] != "" {
		baseParts = baseParts[:len(baseParts)-1]
	}
	var segments []string
	if strings.HasPrefix(u.path, "/") {
		segments = strings.Split(u.path, "/")
	} else {
		segments = append(baseParts, strings.Split(u.path, "/")...)
		if len(segments) > 2 {
			// segments[1:-1] = filter(None, segments[1:-1])
			mid := segments[1 : len(segments)-1]
			kept := []string{segments[0]}
			for _, s := range mid {
				if s != "" {
					kept = append(kept, s)
				}
			}
			segments = append(kept, segments[len(segments)-1])
		}
	}
	var resolved []string
	for _, seg := range segments {
		switch seg {
		case "..":
			if len(resolved) > 0 {
				resolved = resolved[:len(resolved)-1]
			}
		case ".":
		default:
			resolved = append(resolved, seg)
		}
	}
	if last := segments[len(segments)-1]; last == "." || last == ".." {
		resolved = append(resolved, "")
	}
	u.path = strings.Join(resolved, "/")
	if u.path == "" {
		u.path = "/"
	}
	return urlunparse(u), nil
}

// urldefrag is urllib.parse.urldefrag: the URL without its fragment
// (re-assembled, hence normalized, when there was one) and the fragment.
func urldefrag(url string) (string, string, error) {
	if !strings.Contains(url, "#") {
		return url, "", nil
	}
	p, err := urlparse(url, "")
	if err != nil {
		return "", "", err
	}
	frag := p.fragment
	p.fragment = ""
	return urlunparse(p), frag, nil
}
