// Package rallyrun runs a Rally task with the real `rally` the way the gate
// does (the repository's rally-jobs/plugins loaded, rally-jobs/extra as
// ~/.rally/extra) against a cloud described by OS_* variables or an existing
// Rally environment, and exports the results: Rally's JSON report, its
// self-contained HTML report, JUnit XML and the SLA check.
package rallyrun

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/rallyforge/rallyforge/internal/fsutil"
	"github.com/rallyforge/rallyforge/internal/lint"
	"github.com/rallyforge/rallyforge/internal/rallyenv"
	taskpkg "github.com/rallyforge/rallyforge/internal/task"
)

// InstallHint is the command that installs the Rally this package drives.
const InstallHint = "apt-get install -y rally python3-rally-openstack"

// Kind says which exit code an Error maps to in the CLI contract.
type Kind int

const (
	// Failed: the task ran and an SLA failed, or the run itself broke
	// (cloud unreachable, authentication refused): exit 1.
	Failed Kind = 1
	// Invalid: bad usage, Rally missing, or a task Rally rejects: exit 2.
	Invalid Kind = 2
)

// Error is a one-line reason with its kind.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func fail(k Kind, format string, a ...any) error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, a...)}
}

// Options configure one run.
type Options struct {
	Task         string // task file
	TaskArgs     string // JSON/YAML dict, passed to --task-args
	TaskArgsFile string
	OutDir       string // default: <task dir>/<task stem>.results
	StateDir     string // rally.conf, rally.sqlite, HOME; default: user cache dir
	Env          string // existing Rally env (name or UUID); default: one built from OS_*
	Cloud        string // clouds.yaml cloud; default $OS_CLOUD, else the OS_* variables
	Insecure     bool   // no TLS certificate check (https_insecure)
	Environ      []string
	Progress     io.Writer // rally's progress lines; nil discards
}

// Result is what a finished run produced.
type Result struct {
	TaskUUID string            `json:"task_uuid"`
	Env      string            `json:"env"`
	PassSLA  bool              `json:"pass_sla"`
	Files    map[string]string `json:"files"` // kind -> path
	// Wall seconds of the phases: setup (db, env, cloud check), rally task
	// start, exports.
	SetupSeconds  float64 `json:"setup_seconds"`
	TaskSeconds   float64 `json:"task_seconds"`
	ExportSeconds float64 `json:"export_seconds"`
	// Workloads as read back from the JSON report.
	Workloads []Workload `json:"workloads"`
}

// Workload is one workload of the report.
type Workload struct {
	Scenario   string   `json:"scenario"`
	Iterations int      `json:"iterations"`
	Failed     int      `json:"failed"`
	PassSLA    bool     `json:"pass_sla"`
	Atomics    []string `json:"atomics"` // names, nested ones included, first-seen order
	Seconds    float64  `json:"full_duration"`
}

// Runner holds what every rally call needs.
type runner struct {
	rally   string
	conf    string
	home    string
	plugins string
	env     []string
	prog    io.Writer
}

// Run executes the task and exports its results. A non-nil Result comes
// back whenever Rally recorded a task, even when the run failed, so partial
// results are always exported and never deleted.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	rally, err := lookPath("rally", o.Environ)
	if err != nil {
		return nil, fail(Invalid, "rally not found on PATH; install it with: %s", InstallHint)
	}
	task, err := filepath.Abs(o.Task)
	if err != nil {
		return nil, fail(Invalid, "%s: %v", o.Task, err)
	}
	if fi, err := os.Stat(task); err != nil || fi.IsDir() {
		return nil, fail(Invalid, "%s: not a task file", o.Task)
	}
	if o.TaskArgsFile != "" {
		if _, err := os.Stat(o.TaskArgsFile); err != nil {
			return nil, fail(Invalid, "%s: task args file not readable", o.TaskArgsFile)
		}
	}
	if err := lintTask(task, o); err != nil {
		return nil, err
	}
	if name, ok := CloudName(o.Cloud, o.Environ); ok && o.Env == "" {
		if o.Environ, err = CloudEnviron(name, o.Environ); err != nil {
			return nil, err
		}
	}
	// The cloud is probed before Rally's own start-up (about 2 s): a cloud
	// that does not answer is one clear line within the probe's limit.
	var spec []byte
	if o.Env == "" {
		if spec, err = SpecFromEnviron(o.Environ, o.Insecure); err != nil {
			return nil, err
		}
		if o.Progress != nil && !bytes.Contains(spec, []byte(`"users"`)) {
			fmt.Fprintln(o.Progress, "note: admin-only env (no RALLYFORGE_USER_*): Rally creates a project and user per workload; "+
				"on a cloud without Neutron its cleanup fails and they are left behind")
		}
		if err := probe(ctx, o.Environ); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	r, err := prepare(rally, task, o)
	if err != nil {
		return nil, err
	}
	defer privateFiles(filepath.Dir(r.conf)) // what Rally made during the run
	envName := o.Env
	if envName == "" {
		if envName, err = r.ensureEnv(ctx, spec); err != nil {
			return nil, err
		}
	}
	if err := r.checkEnv(ctx, envName); err != nil {
		return nil, err
	}

	args := []string{"task", "start", "--deployment", envName, "--task", task}
	if o.TaskArgs != "" {
		args = append(args, "--task-args", o.TaskArgs)
	}
	if o.TaskArgsFile != "" {
		a, _ := filepath.Abs(o.TaskArgsFile)
		args = append(args, "--task-args-file", a)
	}
	t1 := time.Now()
	out, code, err := r.call(ctx, true, args...)
	t2 := time.Now()
	interrupted := ctx.Err() != nil
	if err != nil && !interrupted {
		return nil, err
	}
	uuid := taskUUID().FindStringSubmatch(out)
	if interrupted && uuid == nil {
		return nil, fail(Failed, "interrupted before Rally started the task")
	}
	if uuid == nil {
		// Rally refused the task before recording it.
		return nil, fail(Invalid, "%s: %s", o.Task, rallyReason(out, "Rally rejected the task"))
	}
	if invalidTask(out) {
		// Validation failed: Rally recorded the task but there are no results.
		return nil, fail(Invalid, "%s: %s", o.Task, rallyReason(out, "Rally rejected the task"))
	}
	res := &Result{TaskUUID: uuid[1], Env: envName, Files: map[string]string{},
		SetupSeconds: t1.Sub(t0).Seconds(), TaskSeconds: t2.Sub(t1).Seconds()}
	defer func() { res.ExportSeconds = time.Since(t2).Seconds() }()
	outDir := o.OutDir
	if outDir == "" {
		outDir = filepath.Join(filepath.Dir(task), strings.TrimSuffix(filepath.Base(task), filepath.Ext(task))+".results")
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return res, fail(Invalid, "%s: %v", outDir, err)
	}
	if interrupted {
		// Keep what Rally recorded before the interrupt: export it with a
		// fresh, bounded context (the run's own one is cancelled).
		ectx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_ = r.export(ectx, res, outDir)
		return res, fail(Failed, "run interrupted; partial results of task %s kept in %s", res.TaskUUID, outDir)
	}
	if err := r.export(ctx, res, outDir); err != nil {
		return res, err
	}
	switch {
	case code == 2 || (code == 0 && !res.PassSLA):
		return res, fail(Failed, "SLA failed for task %s; see %s", res.TaskUUID, res.Files["sla"])
	case code != 0:
		return res, fail(Failed, "rally task %s ended with a run error: %s; partial results in %s",
			res.TaskUUID, rallyReason(out, "see "+filepath.Join(filepath.Dir(r.conf), "rally.log")), outDir)
	}
	return res, nil
}

// lintTask judges the task as the Rally about to run it would, offline: a task
// Rally would reject fails here, before any cloud is contacted or Rally
// state is made, with the finding's file:line:column.
func lintTask(task string, o Options) error {
	args, err := taskpkg.Args(o.TaskArgs, o.TaskArgsFile)
	if err != nil {
		return fail(Invalid, "%v", err)
	}
	var plugins []string
	if fi, err := os.Stat(filepath.Join(filepath.Dir(task), "plugins")); err == nil && fi.IsDir() {
		plugins = append(plugins, filepath.Join(filepath.Dir(task), "plugins"))
	}
	// The view of the Rally that will run it (rally is on this PATH).
	installed, _ := rallyenv.Auto(o.Environ)
	fs, err := lint.File(task, lint.Options{Catalog: lint.View(installed), TaskArgs: args, PluginPaths: plugins})
	if err != nil {
		return fail(Invalid, "%v", err)
	}
	var errs []lint.Finding
	for _, f := range fs {
		if f.Severity == lint.Error {
			errs = append(errs, f)
		}
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return fail(Invalid, "%s (rallyforge lint; Rally would reject the task)", errs[0])
	}
	return fail(Invalid, "%s (and %d more; rallyforge lint %s shows all)", errs[0], len(errs)-1, task)
}

var taskUUID = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`Task ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`)
})

func invalidTask(out string) bool {
	return strings.Contains(out, "Task config is invalid") || strings.Contains(out, "Input task is invalid")
}

// rallyReason picks the most telling line of rally's output.
func rallyReason(out, fallback string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "Reason(s):" && i+1 < len(lines) {
			return "Rally rejects it: " + strings.TrimSpace(lines[i+1])
		}
	}
	for _, l := range lines {
		l = strings.TrimSpace(l)
		for _, key := range []string{"Task config is invalid", "Input task is invalid", "Failed to render", "ERROR", "Error:"} {
			if strings.Contains(l, key) {
				return l
			}
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" && !strings.Contains(l, "Warning") && !strings.HasPrefix(l, "-") {
			return l
		}
	}
	return fallback
}

// prepare creates or reuses the state folder: rally.conf, its sqlite
// database, and a HOME whose .rally/extra is the task's extra folder.
func prepare(rally, task string, o Options) (*runner, error) {
	state := o.StateDir
	if state == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return nil, fail(Invalid, "no state folder: %v (pass --state)", err)
		}
		state = filepath.Join(d, "rallyforge", "rally")
	}
	state, _ = filepath.Abs(state)
	home := filepath.Join(state, "home")
	// rally.sqlite holds the admin password of every env: the folder is
	// the owner's only (0700) and its files 0600, including those an
	// earlier version or Rally itself (umask 022) made readable.
	if err := os.MkdirAll(state, 0o700); err != nil {
		return nil, fail(Invalid, "%s: %v", state, err)
	}
	if err := os.Chmod(state, 0o700); err != nil {
		return nil, fail(Invalid, "%s: %v", state, err)
	}
	if err := os.MkdirAll(filepath.Join(home, ".rally"), 0o700); err != nil {
		return nil, fail(Invalid, "%s: %v", state, err)
	}
	defer privateFiles(state)
	conf := filepath.Join(state, "rally.conf")
	db := filepath.Join(state, "rally.sqlite")
	confText := fmt.Sprintf("[DEFAULT]\nlog_file = %s\n[database]\nconnection = sqlite:///%s\n",
		filepath.Join(state, "rally.log"), db)
	if err := fsutil.WriteFileAtomicAbs(conf, []byte(confText), 0o600); err != nil {
		return nil, fail(Invalid, "%s: %v", conf, err)
	}
	taskDir := filepath.Dir(task)
	r := &runner{rally: rally, conf: conf, home: home, prog: o.Progress}
	if fi, err := os.Stat(filepath.Join(taskDir, "plugins")); err == nil && fi.IsDir() {
		r.plugins = filepath.Join(taskDir, "plugins")
	}
	if err := prepareExtra(home, filepath.Join(taskDir, "extra"), o.Environ); err != nil {
		return nil, err
	}
	r.env = append(withoutKey(o.Environ, "HOME"), "HOME="+home)
	if _, err := os.Stat(db); err != nil {
		if _, _, err := r.call(context.Background(), false, "db", "create"); err != nil {
			return nil, err
		}
		if _, err := os.Stat(db); err != nil {
			return nil, fail(Failed, "rally db create made no database at %s; see %s", db, filepath.Join(state, "rally.log"))
		}
	}
	return r, nil
}

// privateFiles makes the state folder's files the owner's only.
func privateFiles(state string) {
	for _, n := range []string{"rally.sqlite", "rally.log", "rally.conf"} {
		p := filepath.Join(state, n)
		if fi, err := os.Lstat(p); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm() != 0o600 {
			_ = os.Chmod(p, 0o600)
		}
	}
}

// prepareExtra makes ~/.rally/extra what the gate's prepare-for-rally-task
// role leaves there: the repository's rally-jobs/extra (each entry linked, so
// nothing is copied and edits show at once) plus the dummy images the role
// creates when missing (`qemu-img create -f raw|qcow2 … 100M`), which tasks
// name as ~/.rally/extra/dummy_image.qcow2 (init's image_location). The
// images live in the state folder, never in the repository; a file of the
// same name in rally-jobs/extra wins, as it does at the gate.
func prepareExtra(home, repoExtra string, environ []string) error {
	extra := filepath.Join(home, ".rally", "extra")
	// Earlier versions linked the whole folder; start from a clean folder.
	if fi, err := os.Lstat(extra); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		if err := os.Remove(extra); err != nil {
			return fail(Invalid, "%s: %v", extra, err)
		}
	}
	if err := os.MkdirAll(extra, 0o755); err != nil {
		return fail(Invalid, "%s: %v", extra, err)
	}
	ents, _ := os.ReadDir(extra)
	for _, e := range ents {
		// Links from the last run (the repository may have changed).
		if e.Type()&os.ModeSymlink != 0 {
			_ = os.Remove(filepath.Join(extra, e.Name()))
		}
	}
	if repo, err := os.ReadDir(repoExtra); err == nil {
		for _, e := range repo {
			dst := filepath.Join(extra, e.Name())
			_ = os.RemoveAll(dst) // a dummy image made earlier, now shadowed
			if err := os.Symlink(filepath.Join(repoExtra, e.Name()), dst); err != nil {
				return fail(Invalid, "%s: %v", dst, err)
			}
		}
	}
	for _, format := range []string{"raw", "qcow2"} {
		img := filepath.Join(extra, "dummy_image."+format)
		if _, err := os.Lstat(img); err == nil {
			continue
		}
		if err := dummyImage(img, format, environ); err != nil {
			return err
		}
	}
	return nil
}

// dummyImage creates a 100 MiB image as the gate does. Raw is a sparse file;
// qcow2 needs qemu-img (the gate's tool); without it the qcow2 image is left
// out and a task that reads it fails in Rally with the file's name.
func dummyImage(path, format string, environ []string) error {
	const size = 100 << 20
	if format == "raw" {
		f, err := os.CreateTemp(filepath.Dir(path), ".dummy-*")
		if err == nil {
			err = f.Truncate(size)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(f.Name(), path)
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}
		if err != nil {
			return fail(Invalid, "%s: %v", path, err)
		}
		return nil
	}
	qemu, err := lookPath("qemu-img", environ)
	if err != nil {
		return nil
	}
	tmp := filepath.Join(filepath.Dir(path), ".dummy-image.qcow2")
	out, err := exec.Command(qemu, "create", "-q", "-f", "qcow2", tmp, "100M").CombinedOutput()
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(Invalid, "qemu-img create %s: %v %s", path, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// call runs rally with the shared flags; it returns combined output and the
// exit code. stream sends rally's progress lines to r.prog.
func (r *runner) call(ctx context.Context, stream bool, args ...string) (string, int, error) {
	full := []string{"--config-file", r.conf}
	if r.plugins != "" {
		full = append(full, "--plugin-paths", r.plugins)
	}
	cmd := exec.CommandContext(ctx, r.rally, append(full, args...)...)
	cmd.Env = r.env
	// On interrupt rally gets SIGINT, as from a terminal: it stops the task
	// and records what ran; SIGKILL only if it does not exit in time.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 60 * time.Second
	var buf bytes.Buffer
	var w io.Writer = &buf
	var pw *io.PipeWriter
	done := make(chan struct{})
	if stream && r.prog != nil {
		var pr *io.PipeReader
		pr, pw = io.Pipe()
		w = io.MultiWriter(&buf, pw)
		go func() {
			defer close(done)
			sc := bufio.NewScanner(pr)
			for sc.Scan() {
				if l := sc.Text(); progressLine(l) {
					fmt.Fprintln(r.prog, tidy(l))
				}
			}
			_, _ = io.Copy(io.Discard, pr)
		}()
	} else {
		close(done)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err := cmd.Run()
	if pw != nil {
		pw.Close()
	}
	<-done
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
		if ctx.Err() != nil {
			return buf.String(), code, fail(Failed, "rally %s interrupted: %v", args[0], ctx.Err())
		}
	case err != nil:
		return buf.String(), -1, fail(Invalid, "cannot run %s: %v", r.rally, err)
	}
	return buf.String(), code, nil
}

// progressLine keeps rally's lines that tell where a run is: each
// iteration's end and each finished workload ("completed N of M").
func progressLine(l string) bool {
	return strings.Contains(l, "Finished workload") || (strings.Contains(l, "ITER:") && strings.Contains(l, " END")) ||
		strings.HasPrefix(l, "Task ") && strings.HasSuffix(l, "started")
}

// tidy drops the log prefix and colour codes of a rally log line.
func tidy(l string) string {
	if i := strings.Index(l, "[-] "); i >= 0 {
		l = l[i+4:]
	}
	return strings.TrimSpace(strings.ReplaceAll(l, "\x1b[00m", ""))
}

func withoutKey(env []string, key string) []string {
	out := make([]string, 0, len(env))
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}

func lookPath(name string, environ []string) (string, error) {
	for _, kv := range environ {
		if p, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(p) {
				c := filepath.Join(d, name)
				if fi, err := os.Stat(c); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
					return c, nil
				}
			}
			return "", exec.ErrNotFound
		}
	}
	return "", exec.ErrNotFound
}

// ensureEnv creates the Rally env for spec unless one with the same
// content exists; its name is derived from the spec so a changed cloud gets
// a new env and an unchanged one is reused.
func (r *runner) ensureEnv(ctx context.Context, spec []byte) (string, error) {
	sum := sha256.Sum256(spec)
	name := "rallyforge-" + hex.EncodeToString(sum[:])[:12]
	if _, code, err := r.call(ctx, false, "env", "show", "--env", name); err != nil {
		return "", err
	} else if code == 0 {
		return name, nil
	}
	f := filepath.Join(filepath.Dir(r.conf), name+".json")
	if err := fsutil.WriteFileAtomicAbs(f, spec, 0o600); err != nil {
		return "", fail(Invalid, "%s: %v", f, err)
	}
	out, code, err := r.call(ctx, false, "env", "create", "--name", name, "--spec", f, "--no-use")
	if err != nil {
		return "", err
	}
	if code != 0 {
		return "", fail(Failed, "rally env create failed: %s", rallyReason(out, "see rally.log"))
	}
	return name, nil
}

// checkEnv asks Rally to authenticate against the cloud, so an unreachable
// cloud or a refused password is one clear line before any task starts.
func (r *runner) checkEnv(ctx context.Context, env string) error {
	// keystoneauth has no timeout of its own: a cloud that answered the
	// probe and then hangs would keep Rally waiting forever.
	cctx, cancel := context.WithTimeout(ctx, envCheckTimeout)
	defer cancel()
	out, code, err := r.call(cctx, false, "env", "check", "--env", env)
	if cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		return fail(Failed, "rally env check got no answer from the cloud of env %s within %s (is Keystone hung?)", env, envCheckTimeout)
	}
	if err != nil {
		return err
	}
	if code == 0 {
		return nil
	}
	if strings.Contains(out, "not found in table envs") {
		return fail(Invalid, "rally env %q does not exist (rally env list shows the known ones)", env)
	}
	return fail(Failed, "cloud check failed for env %s: %s", env, checkReason(out))
}

func checkReason(out string) string {
	// The failing row of rally's table: | :-( | openstack | <message> |
	for _, l := range strings.Split(out, "\n") {
		cells := strings.Split(l, "|")
		if len(cells) >= 4 && strings.TrimSpace(cells[1]) == ":-(" {
			msg := strings.TrimSpace(cells[3])
			if strings.HasPrefix(msg, "Failed to authenticate") {
				return msg + " (check OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME, or the RALLYFORGE_USER_* variables)"
			}
			if msg != "" {
				return msg
			}
		}
	}
	return rallyReason(out, "see rally.log")
}

// SpecFromEnviron builds a Rally env spec from OS_* variables, as rally env
// create --from-sysenv does (rally-openstack's existing@openstack platform:
// OS_CACERT, OS_CERT, OS_KEY, OS_INSECURE, OS_ENDPOINT_TYPE or
// OS_INTERFACE); insecure (--insecure) turns certificate checks off. When
// RALLYFORGE_USER_USERNAME (and _PASSWORD, _PROJECT_NAME) name a non-admin
// user, the spec lists it as an existing user: Rally then runs scenarios as
// that user instead of creating (and, without Neutron, leaking) a project
// and user per workload.
func SpecFromEnviron(environ []string, insecure bool) ([]byte, error) {
	m := map[string]string{}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	// Rally's user is username + password (the spec's schema and its
	// OpenStackCredential, master included): an application credential
	// cannot be given to it.
	if strings.Contains(m["OS_AUTH_TYPE"], "applicationcredential") || m["OS_APPLICATION_CREDENTIAL_SECRET"] != "" {
		return nil, fail(Invalid, "an application credential cannot be used: Rally's environment (rally-openstack existing@openstack) "+
			"authenticates with username and password only; use a password cloud, or --env NAME of an existing Rally env")
	}
	for _, k := range []string{"OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD"} {
		if m[k] == "" {
			return nil, fail(Invalid, "%s is not set: source an openrc, set OS_CLOUD or --cloud NAME of clouds.yaml, or pass --env NAME of an existing Rally env", k)
		}
	}
	or := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	udom := or(m["OS_USER_DOMAIN_NAME"], "Default")
	pdom := or(m["OS_PROJECT_DOMAIN_NAME"], "Default")
	cred := func(user, pass, project string) map[string]any {
		return map[string]any{"username": user, "password": pass, "user_domain_name": udom,
			"project_name": project, "project_domain_name": pdom}
	}
	endpoint := strings.Replace(or(m["OS_ENDPOINT_TYPE"], or(m["OS_INTERFACE"], "public")), "URL", "", 1)
	os := map[string]any{
		"auth_url":       m["OS_AUTH_URL"],
		"region_name":    m["OS_REGION_NAME"],
		"endpoint_type":  endpoint,
		"https_insecure": insecure || boolString(m["OS_INSECURE"]),
		"admin":          cred(m["OS_USERNAME"], m["OS_PASSWORD"], or(m["OS_PROJECT_NAME"], m["OS_TENANT_NAME"])),
	}
	for k, v := range map[string]string{"https_cacert": "OS_CACERT", "https_cert": "OS_CERT", "https_key": "OS_KEY"} {
		if m[v] != "" {
			os[k] = m[v]
		}
	}
	if u := m["RALLYFORGE_USER_USERNAME"]; u != "" {
		if m["RALLYFORGE_USER_PASSWORD"] == "" || m["RALLYFORGE_USER_PROJECT_NAME"] == "" {
			return nil, fail(Invalid, "RALLYFORGE_USER_USERNAME needs RALLYFORGE_USER_PASSWORD and RALLYFORGE_USER_PROJECT_NAME")
		}
		os["users"] = []any{cred(u, m["RALLYFORGE_USER_PASSWORD"], m["RALLYFORGE_USER_PROJECT_NAME"])}
	}
	return json.MarshalIndent(map[string]any{"openstack": os}, "", "  ")
}

// boolString is oslo's bool_from_string, which Rally applies to OS_INSECURE.
func boolString(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "t", "true", "on", "y", "yes":
		return true
	}
	return false
}

// probe reaches OS_AUTH_URL before Rally does: Rally reports an unreachable
// cloud as "Bad creds", which sends people after the wrong problem, and
// waits forever on a server that accepts the connection and never answers
// (keystoneauth sets no timeout). So the probe connects and asks for one
// byte of answer (an HTTP request, or a TLS handshake for https), all
// within probeTimeout. An HTTP client would add nothing Rally does not
// check itself, and net/http's package set costs every command ~1 ms of
// start-up (scripts/bench-lint.sh).
func probe(ctx context.Context, environ []string) error {
	var raw string
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "OS_AUTH_URL="); ok {
			raw = v
		}
	}
	addr, err := authAddr(raw)
	if err != nil {
		return fail(Invalid, "OS_AUTH_URL %q: %v", raw, err)
	}
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) {
			err = oe.Err
		}
		if errors.Is(err, context.DeadlineExceeded) {
			err = fmt.Errorf("no connection within %s", probeTimeout)
		}
		return fail(Failed, "cannot reach the cloud at OS_AUTH_URL %s: %v (is it up? is the URL right?)", raw, err)
	}
	defer c.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = c.SetDeadline(dl)
	}
	u, _ := url.Parse(raw)
	if u.Scheme == "https" {
		// Only "does it answer": the certificate is Rally's to judge
		// (OS_CACERT, OS_INSECURE).
		err = tls.Client(c, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true}).HandshakeContext(ctx)
	} else {
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		if _, err = fmt.Fprintf(c, "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", path, u.Host); err == nil {
			_, err = c.Read(make([]byte, 1))
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return fail(Failed, "the cloud at OS_AUTH_URL %s accepts connections but does not answer within %s (is Keystone hung? is the port right?)", raw, probeTimeout)
	}
	return nil // any answer, even a refusal, is Rally's to interpret
}

// probeTimeout bounds the probe as a whole: the connection and the first
// byte of answer.
var probeTimeout = 10 * time.Second

// envCheckTimeout bounds rally env check (a healthy cloud answers in a few
// seconds; Rally's own start-up is about 2 s).
var envCheckTimeout = 2 * time.Minute

// authAddr is the host:port an auth URL names (http 80, https 443 unless
// the URL says otherwise).
func authAddr(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.Unwrap(err)
	}
	port := u.Port()
	switch u.Scheme {
	case "http":
		if port == "" {
			port = "80"
		}
	case "https":
		if port == "" {
			port = "443"
		}
	default:
		return "", fmt.Errorf("want an http:// or https:// URL")
	}
	if u.Hostname() == "" {
		return "", fmt.Errorf("no host")
	}
	return net.JoinHostPort(u.Hostname(), port), nil
}
