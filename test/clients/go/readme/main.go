package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/microsoft/kiota-abstractions-go/authentication"
	msgraphsdk "github.com/microsoftgraph/msgraph-sdk-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/solutions"
)

// staticToken hands one token to the hosts it allows, and none to any other host.
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

func main() {
	ctx := context.Background()
	baseURL := "http://127.0.0.1:8080/v1.0" // or the URL given as the first argument
	if len(os.Args) > 1 {
		baseURL = os.Args[1]
	}
	mock, err := url.Parse(baseURL)
	if err != nil {
		panic(err)
	}
	token := &staticToken{token: "any-token", hosts: authentication.NewAllowedHostsValidator([]string{mock.Hostname()})}
	adapter, err := msgraphsdk.NewGraphRequestAdapter(authentication.NewBaseBearerTokenAuthenticationProvider(token))
	if err != nil {
		panic(err)
	}
	adapter.SetBaseUrl(baseURL)
	client := msgraphsdk.NewGraphServiceClient(adapter)
	sessions := client.Solutions().BackupRestore().ExchangeRestoreSessions()

	filter, top, count := "status eq 'active'", int32(2), true
	page, err := sessions.Get(ctx, &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetRequestConfiguration{
		QueryParameters: &solutions.BackupRestoreExchangeRestoreSessionsRequestBuilderGetQueryParameters{
			Filter: &filter, Select: []string{"id", "status", "createdDateTime"},
			Orderby: []string{"createdDateTime desc"}, Top: &top, Count: &count,
		},
	})
	if err != nil {
		panic(err)
	}
	// Every page after the first: the iterator follows @odata.nextLink.
	iterator, err := msgraphcore.NewPageIterator[models.ExchangeRestoreSessionable](page, adapter, models.CreateExchangeRestoreSessionCollectionResponseFromDiscriminatorValue)
	if err != nil {
		panic(err)
	}
	var active []models.ExchangeRestoreSessionable
	err = iterator.Iterate(ctx, func(s models.ExchangeRestoreSessionable) bool {
		active = append(active, s)
		return true
	})
	if err != nil {
		panic(err)
	}
	newest := active[0]
	fmt.Println(*page.GetOdataCount(), len(active), newest.GetStatus().String(), newest.GetCreatedDateTime().Format(time.RFC3339Nano))

	// Failures are *odataerrors.ODataError: the HTTP status and Graph's error code.
	_, err = sessions.ByExchangeRestoreSessionId("00000000-0000-4000-8000-00000000ffff").Get(ctx, nil)
	var odataErr *odataerrors.ODataError
	if errors.As(err, &odataErr) {
		fmt.Println(odataErr.ResponseStatusCode, *odataErr.GetErrorEscaped().GetCode())
	}
}
