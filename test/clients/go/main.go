// A Microsoft Graph Go SDK program (msgraph-sdk-go, unmodified) that runs the Backup Storage
// scenarios against a Graph base URL, as a user's program would, and prints one JSON object with what
// the SDK gave back: typed values (time.Time, enums) turned into text, so that a test can compare
// them with the mock's own HTTP answers.
//
//	graph-mock-go-client [-plan JSON] http://127.0.0.1:8080/v1.0
//
// The plan names the ids the scenarios use; its defaults are the bundled tenant's (README.md).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/solutions"
)

// Plan is what the scenarios need from the tenant.
type Plan struct {
	Token string `json:"token"`
	List  struct {
		Filter  string   `json:"filter"`
		Select  []string `json:"select"`
		Orderby []string `json:"orderby"`
		Top     int32    `json:"top"`
	} `json:"list"`
	GetIds        []string `json:"getIds"`
	MissingId     string   `json:"missingId"`
	InvalidId     string   `json:"invalidId"`
	RestorePoints []string `json:"restorePoints"`
	// The service's active Exchange policy: Graph supports one active policy per service.
	DeactivatePolicyId string   `json:"deactivatePolicyId"`
	Mailboxes          []string `json:"mailboxes"`
	ThrottleHeader     string   `json:"throttleHeader"`
	PollTimeoutMs      int      `json:"pollTimeoutMs"`
}

func defaultPlan() Plan {
	var p Plan
	p.Token = "any-token"
	p.List.Filter = "status eq 'completed'"
	p.List.Select = []string{"id", "status", "createdDateTime"}
	p.List.Orderby = []string{"createdDateTime desc"}
	p.List.Top = 3
	p.GetIds = []string{"a5c8d9e3-c016-42fc-8b77-99e18f7d9a4d", "5d4e54bd-a034-44ed-ab51-2bc224c30df7"}
	p.MissingId = "00000000-0000-4000-8000-00000000ffff"
	p.InvalidId = "not-a-guid"
	p.RestorePoints = []string{"316e4105-09a7-4b8b-b3b8-b7807226952b", "d3ccccd6-9ccf-4f97-ad3c-3997d8760519"}
	p.DeactivatePolicyId = "85330ba7-b1fd-4a66-b7ed-78efab5ed8dd"
	p.Mailboxes = []string{"cdd3a849-dcaf-4a85-af82-7e39fc14019a", "9bc069da-b746-41a4-89ab-26125c6373c7"}
	p.ThrottleHeader = "x-client-scenario"
	p.PollTimeoutMs = 30000
	return p
}

// staticToken is the README snippet's AccessTokenProvider, as a program writes one for a token it
// already has: it hands the token to the hosts it allows (the mock's) and to no other.
type staticToken struct {
	token string
	hosts authentication.AllowedHostsValidator
}

func (s *staticToken) GetAuthorizationToken(_ context.Context, u *url.URL, _ map[string]interface{}) (string, error) {
	if !s.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	return s.token, nil
}

func (s *staticToken) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return &s.hosts
}

// newClient is the README snippet's setup: a Graph client for the mock at baseURL (…/v1.0).
func newClient(baseURL string, token string) (*msgraphsdk.GraphServiceClient, *msgraphsdk.GraphRequestAdapter, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, nil, err
	}
	provider := &staticToken{token: token, hosts: authentication.NewAllowedHostsValidator([]string{u.Hostname()})}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(authentication.NewBaseBearerTokenAuthenticationProvider(provider))
	if err != nil {
		return nil, nil, err
	}
	adapter.SetBaseUrl(strings.TrimSuffix(baseURL, "/"))
	return msgraphsdk.NewGraphServiceClient(adapter), adapter, nil
}

type runner struct {
	ctx     context.Context
	plan    Plan
	adapter *msgraphsdk.GraphRequestAdapter
	br      *solutions.BackupRestoreRequestBuilder
	failed  bool
}

// scenario runs one scenario; an error is recorded in its place so that the others still run.
func (r *runner) scenario(out map[string]any, name string, run func() (any, error)) {
	result, err := run()
	if err != nil {
		r.failed = true
		out[name] = map[string]any{"error": describeError(err)}
		return
	}
	out[name] = result
}

func main() {
	planText := flag.String("plan", "", "JSON that overrides the plan's defaults (the bundled tenant's ids)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-plan JSON] BASE_URL (e.g. http://127.0.0.1:8080/v1.0)\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	plan := defaultPlan()
	if *planText != "" {
		if err := json.Unmarshal([]byte(*planText), &plan); err != nil {
			fmt.Fprintf(os.Stderr, "-plan is not valid JSON: %v\n", err)
			os.Exit(2)
		}
	}
	client, adapter, err := newClient(flag.Arg(0), plan.Token)
	if err != nil {
		fmt.Fprintf(os.Stderr, "cannot make a client for %s: %v\n", flag.Arg(0), err)
		os.Exit(2)
	}
	r := &runner{ctx: context.Background(), plan: plan, adapter: adapter, br: client.Solutions().BackupRestore()}
	out := map[string]any{}
	r.scenario(out, "list", r.list)
	r.scenario(out, "paging", r.paging)
	r.scenario(out, "get", r.get)
	r.scenario(out, "missing", r.missing)
	r.scenario(out, "restore", r.restore)
	r.scenario(out, "protection", r.protection)
	r.scenario(out, "throttle", r.throttle)
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "cannot write the result: %v\n", err)
		os.Exit(1)
	}
	if r.failed {
		os.Exit(1)
	}
}

// 1. A filtered, projected, ordered first page with its count, through the query parameter struct.
func (r *runner) list() (any, error) {
	count := true
	top := r.plan.List.Top
	filter := r.plan.List.Filter
	page, err := r.br.ExchangeRestoreSessions().Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetRequestConfiguration{
		QueryParameters: &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetQueryParameters{
			Filter:  &filter,
			Select:  r.plan.List.Select,
			Orderby: r.plan.List.Orderby,
			Top:     &top,
			Count:   &count,
		},
	})
	if err != nil {
		return nil, err
	}
	items := []any{}
	for _, s := range page.GetValue() {
		items = append(items, map[string]any{
			"id":              deref(s.GetId()),
			"status":          enumText(s.GetStatus()),
			"createdDateTime": timeText(s.GetCreatedDateTime()),
			// Not selected: the SDK leaves it unset.
			"restoreJobType": enumText(s.GetRestoreJobType()),
		})
	}
	return map[string]any{"count": deref(page.GetOdataCount()), "nextLink": deref(page.GetOdataNextLink()), "items": items}, nil
}

// 2. Every session, page after page (pages of the server's size), by the core library's
// PageIterator following @odata.nextLink.
func (r *runner) paging() (any, error) {
	page, err := r.br.ExchangeRestoreSessions().Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetRequestConfiguration{
		QueryParameters: &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetQueryParameters{
			Select:  []string{"id", "createdDateTime"},
			Orderby: []string{"createdDateTime"},
		},
	})
	if err != nil {
		return nil, err
	}
	firstPage := len(page.GetValue())
	iterator, err := msgraphcore.NewPageIterator[models.ExchangeRestoreSessionable](page, r.adapter, models.CreateExchangeRestoreSessionCollectionResponseFromDiscriminatorValue)
	if err != nil {
		return nil, err
	}
	ids := []string{}
	err = iterator.Iterate(r.ctx, func(s models.ExchangeRestoreSessionable) bool {
		ids = append(ids, text(s.GetId()))
		return true
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"firstPage": firstPage, "ids": ids}, nil
}

func sessionView(s models.RestoreSessionBaseable) map[string]any {
	view := map[string]any{
		"type":                 fmt.Sprintf("%T", s),
		"odataType":            deref(s.GetOdataType()),
		"id":                   deref(s.GetId()),
		"status":               enumText(s.GetStatus()),
		"restoreJobType":       enumText(s.GetRestoreJobType()),
		"createdDateTime":      timeText(s.GetCreatedDateTime()),
		"completedDateTime":    timeText(s.GetCompletedDateTime()),
		"lastModifiedDateTime": timeText(s.GetLastModifiedDateTime()),
	}
	if c := s.GetRestoreSessionArtifactCount(); c != nil {
		view["artifactCount"] = map[string]any{"total": deref(c.GetTotal()), "completed": deref(c.GetCompleted()), "failed": deref(c.GetFailed()), "inProgress": deref(c.GetInProgress())}
	}
	if by := s.GetCreatedBy(); by != nil && by.GetUser() != nil {
		view["createdByUser"] = deref(by.GetUser().GetDisplayName())
	}
	if e := s.GetError(); e != nil {
		view["error"] = map[string]any{"code": deref(e.GetCode()), "message": deref(e.GetMessage())}
	}
	return view
}

// 3. One session by key, its timestamps as time.Time and its enums typed; with and without
// `Prefer: include-unknown-enum-members` (a `failed` session reads unknownFutureValue without it).
func (r *runner) get() (any, error) {
	views := []any{}
	for _, id := range r.plan.GetIds {
		plain, err := r.br.ExchangeRestoreSessions().ByExchangeRestoreSessionId(id).Get(r.ctx, nil)
		if err != nil {
			return nil, err
		}
		headers := abstractions.NewRequestHeaders()
		headers.Add("Prefer", "include-unknown-enum-members")
		evolvable, err := r.br.ExchangeRestoreSessions().ByExchangeRestoreSessionId(id).Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsExchangeRestoreSessionItemRequestBuilderGetRequestConfiguration{Headers: headers})
		if err != nil {
			return nil, err
		}
		view := sessionView(plain)
		view["statusWithPrefer"] = enumText(evolvable.GetStatus())
		views = append(views, view)
	}
	return views, nil
}

// 4. Unknown keys: the SDK's typed ODataError, with Graph's status and code.
func (r *runner) missing() (any, error) {
	answers := map[string]any{}
	for name, id := range map[string]string{"missing": r.plan.MissingId, "invalid": r.plan.InvalidId} {
		_, err := r.br.ExchangeRestoreSessions().ByExchangeRestoreSessionId(id).Get(r.ctx, nil)
		if err == nil {
			return nil, fmt.Errorf("GET of %s %q succeeded", name, id)
		}
		answers[name] = describeError(err)
	}
	return answers, nil
}

func mailboxArtifact(pointId string) models.MailboxRestoreArtifactable {
	point := models.NewRestorePoint()
	point.SetId(&pointId)
	artifact := models.NewMailboxRestoreArtifact()
	artifact.SetRestorePoint(point)
	destination := models.NEW_DESTINATIONTYPE
	artifact.SetDestinationType(&destination)
	return artifact
}

func (r *runner) poll(what string, get func() (string, error), done func(string) bool) ([]string, error) {
	seen := []string{}
	deadline := time.Now().Add(time.Duration(r.plan.PollTimeoutMs) * time.Millisecond)
	for {
		status, err := get()
		if err != nil {
			return seen, err
		}
		if len(seen) == 0 || seen[len(seen)-1] != status {
			seen = append(seen, status)
		}
		if done(status) {
			return seen, nil
		}
		if time.Now().After(deadline) {
			return seen, fmt.Errorf("%s still %s after %d ms (seen %v)", what, status, r.plan.PollTimeoutMs, seen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// 5. Create a session with the first restore point's mailbox, add the others one by one on the
// navigation, activate, poll until it ends.
func (r *runner) restore() (any, error) {
	if len(r.plan.RestorePoints) < 2 {
		return nil, errors.New("the plan needs two restorePoints or more")
	}
	draft := models.NewExchangeRestoreSession()
	draft.SetMailboxRestoreArtifacts([]models.MailboxRestoreArtifactable{mailboxArtifact(r.plan.RestorePoints[0])})
	created, err := r.br.ExchangeRestoreSessions().Post(r.ctx, draft, nil)
	if err != nil {
		return nil, err
	}
	id := text(created.GetId())
	session := r.br.ExchangeRestoreSessions().ByExchangeRestoreSessionId(id)
	addedViews := []any{}
	for _, point := range r.plan.RestorePoints[1:] {
		added, err := session.MailboxRestoreArtifacts().Post(r.ctx, mailboxArtifact(point), nil)
		if err != nil {
			return nil, err
		}
		addedViews = append(addedViews, map[string]any{"id": deref(added.GetId()), "status": enumText(added.GetStatus()), "destinationType": enumText(added.GetDestinationType())})
	}
	activated, err := r.br.RestoreSessions().ByRestoreSessionBaseId(id).Activate().Post(r.ctx, nil)
	if err != nil {
		return nil, err
	}
	headers := abstractions.NewRequestHeaders()
	headers.Add("Prefer", "include-unknown-enum-members")
	seen, err := r.poll("restore session "+id, func() (string, error) {
		s, err := session.Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsExchangeRestoreSessionItemRequestBuilderGetRequestConfiguration{Headers: headers})
		if err != nil {
			return "", err
		}
		return statusText(s.GetStatus()), nil
	}, func(status string) bool {
		return status == "completed" || status == "completedWithError" || status == "failed"
	})
	if err != nil {
		return nil, err
	}
	final, err := session.Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsExchangeRestoreSessionItemRequestBuilderGetRequestConfiguration{Headers: headers})
	if err != nil {
		return nil, err
	}
	// The artifacts with the restore point each one restores, in one page.
	top := int32(50)
	artifactPage, err := session.MailboxRestoreArtifacts().Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsItemMailboxRestoreArtifactsRequestBuilderGetRequestConfiguration{
		Headers:         headers,
		QueryParameters: &solutions.BackupRestoreExchangeRestoreSessionsItemMailboxRestoreArtifactsRequestBuilderGetQueryParameters{Expand: []string{"restorePoint"}, Top: &top},
	})
	if err != nil {
		return nil, err
	}
	artifacts := []any{}
	for _, a := range artifactPage.GetValue() {
		view := map[string]any{
			"id":                 deref(a.GetId()),
			"status":             enumText(a.GetStatus()),
			"destinationType":    enumText(a.GetDestinationType()),
			"startDateTime":      timeText(a.GetStartDateTime()),
			"completionDateTime": timeText(a.GetCompletionDateTime()),
			"restoredFolderName": deref(a.GetRestoredFolderName()),
			"restorePointId":     nil,
			"error":              nil,
		}
		if p := a.GetRestorePoint(); p != nil {
			view["restorePointId"] = deref(p.GetId())
		}
		if e := a.GetError(); e != nil {
			view["error"] = deref(e.GetCode())
		}
		artifacts = append(artifacts, view)
	}
	return map[string]any{
		"created":   sessionView(created),
		"added":     addedViews,
		"activated": sessionView(activated),
		"seen":      seen,
		"final":     sessionView(final),
		"artifacts": artifacts,
	}, nil
}

// 6. Deactivate the service's active policy (if the plan names one), create one with the plan's
// mailboxes, activate it, poll until it is active, and read its units.
func (r *runner) protection() (any, error) {
	policies := r.br.ProtectionPolicies()
	policyStatus := func(id string) func() (string, error) {
		return func() (string, error) {
			p, err := policies.ByProtectionPolicyBaseId(id).Get(r.ctx, nil)
			if err != nil {
				return "", err
			}
			return statusText(p.GetStatus()), nil
		}
	}
	var deactivated any
	if r.plan.DeactivatePolicyId != "" {
		answer, err := policies.ByProtectionPolicyBaseId(r.plan.DeactivatePolicyId).Deactivate().Post(r.ctx, nil)
		if err != nil {
			return nil, err
		}
		seen, err := r.poll("policy "+r.plan.DeactivatePolicyId, policyStatus(r.plan.DeactivatePolicyId), func(s string) bool { return s == "inactive" })
		if err != nil {
			return nil, err
		}
		deactivated = map[string]any{"type": fmt.Sprintf("%T", answer), "status": enumText(answer.GetStatus()), "seen": seen}
	}
	policy := models.NewExchangeProtectionPolicy()
	name := "Exchange Protection Policy (Go SDK)"
	policy.SetDisplayName(&name)
	units := []models.MailboxProtectionUnitable{}
	for _, mailbox := range r.plan.Mailboxes {
		unit := models.NewMailboxProtectionUnit()
		unit.SetDirectoryObjectId(&mailbox)
		units = append(units, unit)
	}
	policy.SetMailboxProtectionUnits(units)
	created, err := r.br.ExchangeProtectionPolicies().Post(r.ctx, policy, nil)
	if err != nil {
		return nil, err
	}
	id := text(created.GetId())
	activated, err := policies.ByProtectionPolicyBaseId(id).Activate().Post(r.ctx, nil)
	if err != nil {
		return nil, err
	}
	seen, err := r.poll("policy "+id, policyStatus(id), func(s string) bool { return s == "active" || s == "activeWithErrors" })
	if err != nil {
		return nil, err
	}
	final, err := r.br.ExchangeProtectionPolicies().ByExchangeProtectionPolicyId(id).Get(r.ctx, nil)
	if err != nil {
		return nil, err
	}
	unitPage, err := r.br.ExchangeProtectionPolicies().ByExchangeProtectionPolicyId(id).MailboxProtectionUnits().Get(r.ctx, nil)
	if err != nil {
		return nil, err
	}
	unitViews := []any{}
	for _, u := range unitPage.GetValue() {
		unitViews = append(unitViews, map[string]any{
			"id":                deref(u.GetId()),
			"directoryObjectId": deref(u.GetDirectoryObjectId()),
			"status":            enumText(u.GetStatus()),
			"policyId":          deref(u.GetPolicyId()),
		})
	}
	return map[string]any{
		"deactivated": deactivated,
		"created":     map[string]any{"type": fmt.Sprintf("%T", created), "id": id, "displayName": deref(created.GetDisplayName()), "status": enumText(created.GetStatus()), "createdDateTime": timeText(created.GetCreatedDateTime()), "retentionSettings": retention(created.GetRetentionSettings())},
		"activated":   map[string]any{"type": fmt.Sprintf("%T", activated), "status": enumText(activated.GetStatus())},
		"seen":        seen,
		"final":       map[string]any{"status": enumText(final.GetStatus()), "lastModifiedDateTime": timeText(final.GetLastModifiedDateTime())},
		"units":       unitViews,
	}, nil
}

// 7. A request the mock throttles once (429, Retry-After): the SDK's retry handler waits and retries.
// The request carries a header of its own so that a fault rule can match it alone.
func (r *runner) throttle() (any, error) {
	headers := abstractions.NewRequestHeaders()
	headers.Add(r.plan.ThrottleHeader, "throttle")
	top := int32(2)
	start := time.Now()
	page, err := r.br.ExchangeRestoreSessions().Get(r.ctx, &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetRequestConfiguration{
		Headers:         headers,
		QueryParameters: &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetQueryParameters{Select: []string{"id"}, Top: &top},
	})
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for _, s := range page.GetValue() {
		ids = append(ids, text(s.GetId()))
	}
	return map[string]any{"ids": ids, "elapsedMs": time.Since(start).Milliseconds()}, nil
}

func retention(settings []models.RetentionSettingable) []any {
	views := []any{}
	for _, setting := range settings {
		views = append(views, map[string]any{"interval": deref(setting.GetInterval()), "period": durationText(setting.GetPeriod())})
	}
	return views
}

// describeError reads an SDK error as a program would: ODataError with the status and Graph's code.
func describeError(err error) map[string]any {
	var odataErr *odataerrors.ODataError
	if errors.As(err, &odataErr) {
		view := map[string]any{"type": fmt.Sprintf("%T", odataErr), "status": odataErr.ResponseStatusCode}
		if main := odataErr.GetErrorEscaped(); main != nil {
			view["code"] = deref(main.GetCode())
			view["message"] = deref(main.GetMessage())
			if inner := main.GetInnerError(); inner != nil {
				view["requestId"] = deref(inner.GetRequestId())
				view["innerDate"] = timeText(inner.GetDate())
			}
		}
		if odataErr.ResponseHeaders != nil {
			view["requestIdHeader"] = strings.Join(odataErr.ResponseHeaders.Get("request-id"), ",")
		}
		return view
	}
	return map[string]any{"type": fmt.Sprintf("%T", err), "message": err.Error()}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// text is a string the SDK returned, empty when it returned none.
func text(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// statusText is an enum member's name, empty when the SDK returned none.
func statusText[T fmt.Stringer](p *T) string {
	if p == nil {
		return ""
	}
	return (*p).String()
}

func enumText[T fmt.Stringer](p *T) any {
	if p == nil {
		return nil
	}
	return (*p).String()
}

func durationText(d *serialization.ISODuration) any {
	if d == nil {
		return nil
	}
	return d.String()
}

// timeText writes a time.Time in RFC 3339 with as many fraction digits as it has (Graph sends seven).
func timeText(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(time.RFC3339Nano)
}
