package graphmock.client;

import com.microsoft.graph.beta.models.ExchangeRestoreSession;
import com.microsoft.graph.beta.models.ExchangeRestoreSessionCollectionResponse;
import com.microsoft.graph.beta.models.odataerrors.ODataError;
import com.microsoft.graph.beta.serviceclient.GraphServiceClient;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class ReadmeExample {
  /** Any token passes the mock; like the SDK's own providers, this one gives it only to the allowed hosts. */
  static class StaticTokenProvider implements AccessTokenProvider {
    private final AllowedHostsValidator hosts;

    StaticTokenProvider(String... allowedHosts) {
      hosts = new AllowedHostsValidator(allowedHosts);
    }

    @Override
    public String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
      return hosts.isUrlHostValid(uri) ? "any-token" : "";
    }

    @Override
    public AllowedHostsValidator getAllowedHostsValidator() {
      return hosts;
    }
  }

  /** mockUrl: the mock's origin, e.g. http://127.0.0.1:8080 (Kiota allows http for loopback hosts). */
  public static GraphServiceClient client(String mockUrl) {
    var auth = new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(URI.create(mockUrl).getHost()));
    var client = new GraphServiceClient(auth);
    client.getRequestAdapter().setBaseUrl(mockUrl + "/beta");
    return client;
  }

  public static void main(String[] args) throws Exception {
    GraphServiceClient client = client(args.length > 0 ? args[0] : "http://127.0.0.1:8080");
    var sessions = client.solutions().backupRestore().exchangeRestoreSessions();
    ExchangeRestoreSessionCollectionResponse page = sessions.get(r -> {
      r.queryParameters.filter = "status eq 'completed'";
      r.queryParameters.orderby = new String[] {"createdDateTime desc"};
      r.queryParameters.top = 2;
    });
    List<ExchangeRestoreSession> all = new ArrayList<>();
    new PageIterator.Builder<ExchangeRestoreSession, ExchangeRestoreSessionCollectionResponse>()
        .client(client)
        .collectionPage(page)
        .collectionPageFactory(ExchangeRestoreSessionCollectionResponse::createFromDiscriminatorValue)
        .processPageItemCallback(all::add)
        .build()
        .iterate();
    for (ExchangeRestoreSession s : all) {
      // getStatus() is a RestoreSessionStatus, getCreatedDateTime() an OffsetDateTime
      System.out.println(s.getId() + " " + s.getStatus().getValue() + " " + s.getCreatedDateTime().toInstant());
    }
    try {
      sessions.byExchangeRestoreSessionId("00000000-0000-4000-8000-00000000ffff").get();
    } catch (ODataError e) {
      System.out.println(e.getResponseStatusCode() + " " + e.getError().getCode()); // 404 RestoreSessionNotFound
    }
  }
}
