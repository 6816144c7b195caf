package graphmock.client;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.microsoft.graph.beta.models.ExchangeProtectionPolicy;
import com.microsoft.graph.beta.models.ExchangeProtectionPolicyCollectionResponse;
import com.microsoft.graph.beta.models.ExchangeRestoreSession;
import com.microsoft.graph.beta.models.ExchangeRestoreSessionCollectionResponse;
import com.microsoft.graph.beta.models.DestinationType;
import com.microsoft.graph.beta.models.MailboxProtectionUnit;
import com.microsoft.graph.beta.models.MailboxProtectionUnitCollectionResponse;
import com.microsoft.graph.beta.models.MailboxRestoreArtifact;
import com.microsoft.graph.beta.models.ProtectionPolicyBase;
import com.microsoft.graph.beta.models.ProtectionPolicyStatus;
import com.microsoft.graph.beta.models.ProtectionUnitBase;
import com.microsoft.graph.beta.models.PublicError;
import com.microsoft.graph.beta.models.RestorePoint;
import com.microsoft.graph.beta.models.RestorePointCollectionResponse;
import com.microsoft.graph.beta.models.RestoreSessionArtifactCount;
import com.microsoft.graph.beta.models.RestoreSessionBase;
import com.microsoft.graph.beta.models.RestoreSessionStatus;
import com.microsoft.graph.beta.models.odataerrors.ODataError;
import com.microsoft.graph.beta.serviceclient.GraphServiceClient;
import com.microsoft.graph.beta.solutions.backuprestore.BackupRestoreRequestBuilder;
import com.microsoft.graph.core.tasks.PageIterator;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.serialization.ValuedEnum;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the Backup Storage scenarios with Microsoft's Java Graph beta SDK against graph-mock and prints
 * one JSON object: what the SDK returned, as typed values (an OffsetDateTime is printed with its Java
 * type and all nine fraction digits, an enum with its class, constant and wire value), so that a test
 * can compare each with the mock's own HTTP answer.
 *
 * Usage: java -cp 'graph-mock-java-client.jar:lib/*' graphmock.client.Scenarios BASE_URL [SCENARIO...]
 * BASE_URL is the mock's origin (http://127.0.0.1:8080). Without scenario names, all run in order.
 * Exit status 0 when every scenario ran, 1 when any threw (its "exception" says what), 2 on bad usage.
 */
public final class Scenarios {
  static final String SESSION_FILTER = "status eq 'completed' or status eq 'completedWithError'";
  static final String MISSING_ID = "00000000-0000-4000-8000-00000000ffff";
  static final String PREFER_ALL_ENUMS = "include-unknown-enum-members";
  /** Two mailboxes no policy of the bundled tenant holds; a new unit needs only its directory object. */
  static final List<String> NEW_MAILBOXES = List.of("cdd3a849-dcaf-4a85-af82-7e39fc14019a", "9bc069da-b746-41a4-89ab-26125c6373c7");
  static final long POLL_MS = 50;
  static final long POLL_LIMIT_MS = 30_000;
  static final DateTimeFormatter NINE_DIGITS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'");

  private final GraphServiceClient client;
  private final BackupRestoreRequestBuilder backup;
  /** Shared between scenarios: the session scenario 1 listed first is the one scenario 3 reads. */
  private String firstListedId;

  Scenarios(String baseUrl) {
    // The README's setup (ReadmeExample is its Java snippet): a static token for the mock's host only,
    // the adapter's base URL at the mock's /beta, and the SDK's default middleware, retry included.
    client = ReadmeExample.client(baseUrl);
    backup = client.solutions().backupRestore();
  }

  interface Scenario {
    JsonObject run() throws Exception;
  }

  public static void main(String[] args) {
    if (args.length < 1 || !args[0].matches("https?://.+")) {
      System.err.println("usage: Scenarios BASE_URL [list|page|get|missing|restore|protect|retry ...]");
      System.exit(2);
    }
    Scenarios s = new Scenarios(args[0].replaceAll("/+$", ""));
    Map<String, Scenario> all = new LinkedHashMap<>();
    all.put("list", s::list);
    all.put("page", s::page);
    all.put("get", s::get);
    all.put("missing", s::missing);
    all.put("restore", s::restore);
    all.put("protect", s::protect);
    all.put("retry", s::retry);
    List<String> chosen = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : new ArrayList<>(all.keySet());
    JsonObject out = new JsonObject();
    boolean failed = false;
    Runtime runtime = Runtime.getRuntime();
    for (String name : chosen) {
      Scenario scenario = all.get(name);
      if (scenario == null) {
        System.err.println("unknown scenario '" + name + "'; the scenarios are " + String.join(", ", all.keySet()));
        System.exit(2);
      }
      long start = System.nanoTime();
      JsonObject result;
      try {
        result = scenario.run();
      } catch (Exception | AssertionError e) {
        failed = true;
        result = new JsonObject();
        result.addProperty("exception", e.getClass().getName() + ": " + e.getMessage());
        e.printStackTrace(System.err);
      }
      result.addProperty("elapsedMs", (System.nanoTime() - start) / 1_000_000);
      out.add(name, result);
    }
    JsonObject jvm = new JsonObject();
    jvm.addProperty("javaVersion", System.getProperty("java.version"));
    jvm.addProperty("heapUsedBytes", runtime.totalMemory() - runtime.freeMemory());
    jvm.addProperty("heapCommittedBytes", runtime.totalMemory());
    out.add("jvm", jvm);
    System.out.println(new GsonBuilder().serializeNulls().create().toJson(out));
    System.exit(failed ? 1 : 0);
  }

  // 1. A filtered, projected, ordered, counted first page, all set through queryParameters.
  JsonObject list() {
    ExchangeRestoreSessionCollectionResponse page = backup.exchangeRestoreSessions().get(r -> {
      r.queryParameters.filter = SESSION_FILTER;
      r.queryParameters.select = new String[] {"id", "status", "createdDateTime", "restoreSessionArtifactCount"};
      r.queryParameters.orderby = new String[] {"createdDateTime desc"};
      r.queryParameters.top = 3;
      r.queryParameters.count = true;
    });
    JsonObject out = new JsonObject();
    out.addProperty("count", page.getOdataCount());
    out.addProperty("nextLink", page.getOdataNextLink());
    JsonArray items = new JsonArray();
    for (ExchangeRestoreSession s : page.getValue()) {
      JsonObject item = new JsonObject();
      item.addProperty("id", s.getId());
      item.add("status", enumValue(s.getStatus()));
      item.add("createdDateTime", dateTime(s.getCreatedDateTime()));
      item.add("restoreSessionArtifactCount", counts(s.getRestoreSessionArtifactCount()));
      // Not selected, so not sent: the SDK leaves them null.
      item.add("restoreJobType", enumValue(s.getRestoreJobType()));
      item.add("lastModifiedDateTime", dateTime(s.getLastModifiedDateTime()));
      items.add(item);
    }
    out.add("value", items);
    firstListedId = page.getValue().isEmpty() ? null : page.getValue().get(0).getId();
    return out;
  }

  // 2. Every session, oldest first, through the SDK's PageIterator; the configurator sends the Prefer
  // header on every next page too, so evolvable statuses (failed) come through on each page.
  JsonObject page() throws Exception {
    ExchangeRestoreSessionCollectionResponse first = backup.exchangeRestoreSessions().get(r -> {
      r.queryParameters.orderby = new String[] {"createdDateTime"};
      r.queryParameters.select = new String[] {"id", "status"};
      r.queryParameters.top = 6;
      r.headers.add("Prefer", PREFER_ALL_ENUMS);
    });
    List<String> ids = new ArrayList<>();
    List<String> statuses = new ArrayList<>();
    int[] nextPages = {0};
    PageIterator<ExchangeRestoreSession, ExchangeRestoreSessionCollectionResponse> iterator =
        new PageIterator.Builder<ExchangeRestoreSession, ExchangeRestoreSessionCollectionResponse>()
            .client(client)
            .collectionPage(first)
            .collectionPageFactory(ExchangeRestoreSessionCollectionResponse::createFromDiscriminatorValue)
            .requestConfigurator(request -> {
              nextPages[0]++;
              request.headers.add("Prefer", PREFER_ALL_ENUMS);
              return request;
            })
            .processPageItemCallback(s -> {
              ids.add(s.getId());
              statuses.add(s.getStatus() == null ? null : s.getStatus().getValue());
              return true;
            })
            .build();
    iterator.iterate();
    JsonObject out = new JsonObject();
    out.add("ids", strings(ids));
    out.add("statuses", strings(statuses));
    out.addProperty("firstPageSize", first.getValue().size());
    out.addProperty("nextPageRequests", nextPages[0]);
    out.addProperty("state", iterator.getPageIteratorState().name());
    return out;
  }

  // 3. One session with its artifacts: typed date-times, enums, identity set, nested counts.
  JsonObject get() {
    if (firstListedId == null) throw new IllegalStateException("scenario list found no session to read");
    ExchangeRestoreSession s = backup.exchangeRestoreSessions().byExchangeRestoreSessionId(firstListedId).get(r -> {
      r.queryParameters.expand = new String[] {"mailboxRestoreArtifacts"};
    });
    JsonObject out = new JsonObject();
    out.addProperty("javaType", s.getClass().getName());
    out.addProperty("odataType", s.getOdataType());
    out.addProperty("id", s.getId());
    out.add("status", enumValue(s.getStatus()));
    out.add("restoreJobType", enumValue(s.getRestoreJobType()));
    out.add("createdDateTime", dateTime(s.getCreatedDateTime()));
    out.add("completedDateTime", dateTime(s.getCompletedDateTime()));
    out.add("lastModifiedDateTime", dateTime(s.getLastModifiedDateTime()));
    out.addProperty("createdByUser", s.getCreatedBy() == null || s.getCreatedBy().getUser() == null ? null : s.getCreatedBy().getUser().getDisplayName());
    out.add("restoreSessionArtifactCount", counts(s.getRestoreSessionArtifactCount()));
    out.add("error", error(s.getError()));
    JsonArray artifacts = new JsonArray();
    for (MailboxRestoreArtifact a : s.getMailboxRestoreArtifacts()) artifacts.add(artifact(a));
    out.add("mailboxRestoreArtifacts", artifacts);
    return out;
  }

  // 4. Unknown ids raise ODataError with Graph's code, message, status and innerError.
  JsonObject missing() {
    JsonObject out = new JsonObject();
    out.add("unknownGuid", expectODataError(() -> backup.exchangeRestoreSessions().byExchangeRestoreSessionId(MISSING_ID).get()));
    out.add("notAGuid", expectODataError(() -> backup.exchangeRestoreSessions().byExchangeRestoreSessionId("not-a-guid").get()));
    return out;
  }

  // 5. The restore workflow: a draft with one mailbox, a second added on the navigation, activate,
  // poll (with the Prefer header, so that failed is not unknownFutureValue) until a terminal status.
  JsonObject restore() throws InterruptedException {
    List<String> points = mailboxRestorePoints(2);
    ExchangeRestoreSession draft = new ExchangeRestoreSession();
    draft.setMailboxRestoreArtifacts(List.of(newArtifact(points.get(0))));
    ExchangeRestoreSession created = backup.exchangeRestoreSessions().post(draft);
    String id = created.getId();
    MailboxRestoreArtifact added = backup.exchangeRestoreSessions().byExchangeRestoreSessionId(id)
        .mailboxRestoreArtifacts().post(newArtifact(points.get(1)));
    ExchangeRestoreSession beforeActivation = backup.exchangeRestoreSessions().byExchangeRestoreSessionId(id).get();
    RestoreSessionBase activated = backup.restoreSessions().byRestoreSessionBaseId(id).activate().post();
    List<String> seen = new ArrayList<>();
    seen.add(activated.getStatus().getValue());
    Set<RestoreSessionStatus> terminal = Set.of(RestoreSessionStatus.Completed, RestoreSessionStatus.CompletedWithError, RestoreSessionStatus.Failed);
    ExchangeRestoreSession now = poll(
        () -> backup.exchangeRestoreSessions().byExchangeRestoreSessionId(id).get(r -> {
          r.queryParameters.expand = new String[] {"mailboxRestoreArtifacts"};
          r.headers.add("Prefer", PREFER_ALL_ENUMS);
        }),
        s -> s.getStatus().getValue(), s -> terminal.contains(s.getStatus()), seen);
    JsonObject out = new JsonObject();
    out.add("restorePointIds", strings(points));
    out.addProperty("id", id);
    out.add("createdStatus", enumValue(created.getStatus()));
    out.add("createdCounts", counts(created.getRestoreSessionArtifactCount()));
    out.add("added", artifact(added));
    out.add("countsBeforeActivation", counts(beforeActivation.getRestoreSessionArtifactCount()));
    out.addProperty("activatedJavaType", activated.getClass().getName());
    out.add("activatedStatus", enumValue(activated.getStatus()));
    out.add("seen", strings(seen));
    out.add("finalStatus", enumValue(now.getStatus()));
    out.add("finalCounts", counts(now.getRestoreSessionArtifactCount()));
    out.add("completedDateTime", dateTime(now.getCompletedDateTime()));
    out.add("lastModifiedDateTime", dateTime(now.getLastModifiedDateTime()));
    JsonArray artifacts = new JsonArray();
    for (MailboxRestoreArtifact a : now.getMailboxRestoreArtifacts()) {
      JsonObject item = artifact(a);
      // The artifact's restore point, read through its own navigation.
      RestorePoint point = backup.exchangeRestoreSessions().byExchangeRestoreSessionId(id)
          .mailboxRestoreArtifacts().byMailboxRestoreArtifactId(a.getId()).restorePoint().get();
      item.addProperty("restorePointId", point.getId());
      artifacts.add(item);
    }
    out.add("mailboxRestoreArtifacts", artifacts);
    return out;
  }

  // 6. Protection: the tenant's active Exchange policy is deactivated (one active policy per service),
  // a new policy with two mailboxes is created and activated, and polled until active.
  JsonObject protect() throws InterruptedException {
    ExchangeProtectionPolicyCollectionResponse active = backup.exchangeProtectionPolicies().get(r -> {
      r.queryParameters.filter = "status eq 'active' or status eq 'activeWithErrors'";
      r.queryParameters.select = new String[] {"id", "status"};
    });
    JsonArray deactivated = new JsonArray();
    Set<ProtectionPolicyStatus> settledInactive = Set.of(ProtectionPolicyStatus.Inactive);
    for (ExchangeProtectionPolicy p : active.getValue()) {
      ProtectionPolicyBase answer = backup.protectionPolicies().byProtectionPolicyBaseId(p.getId()).deactivate().post();
      List<String> seen = new ArrayList<>();
      seen.add(answer.getStatus().getValue());
      poll(() -> backup.exchangeProtectionPolicies().byExchangeProtectionPolicyId(p.getId()).get(),
          q -> q.getStatus().getValue(), q -> settledInactive.contains(q.getStatus()), seen);
      JsonObject item = new JsonObject();
      item.addProperty("id", p.getId());
      item.add("seen", strings(seen));
      deactivated.add(item);
    }
    ExchangeProtectionPolicy policy = new ExchangeProtectionPolicy();
    policy.setDisplayName("Java SDK protection policy");
    List<MailboxProtectionUnit> units = new ArrayList<>();
    for (String directoryObjectId : NEW_MAILBOXES) {
      MailboxProtectionUnit unit = new MailboxProtectionUnit();
      unit.setDirectoryObjectId(directoryObjectId);
      units.add(unit);
    }
    policy.setMailboxProtectionUnits(units);
    ExchangeProtectionPolicy created = backup.exchangeProtectionPolicies().post(policy);
    String id = created.getId();
    ProtectionPolicyBase activated = backup.protectionPolicies().byProtectionPolicyBaseId(id).activate().post();
    List<String> seen = new ArrayList<>();
    seen.add(activated.getStatus().getValue());
    ExchangeProtectionPolicy now = poll(() -> backup.exchangeProtectionPolicies().byExchangeProtectionPolicyId(id).get(),
        q -> q.getStatus().getValue(), q -> q.getStatus() == ProtectionPolicyStatus.Active, seen);
    MailboxProtectionUnitCollectionResponse held = backup.exchangeProtectionPolicies().byExchangeProtectionPolicyId(id)
        .mailboxProtectionUnits().get(r -> r.queryParameters.orderby = new String[] {"directoryObjectId"});
    JsonObject out = new JsonObject();
    out.add("deactivated", deactivated);
    out.addProperty("id", id);
    out.addProperty("displayName", created.getDisplayName());
    out.add("createdStatus", enumValue(created.getStatus()));
    out.addProperty("createdIsEnabled", created.getIsEnabled());
    out.addProperty("createdRetentionSettings", created.getRetentionSettings().size());
    out.addProperty("activatedJavaType", activated.getClass().getName());
    out.add("activatedStatus", enumValue(activated.getStatus()));
    out.add("seen", strings(seen));
    out.add("finalStatus", enumValue(now.getStatus()));
    out.addProperty("finalIsEnabled", now.getIsEnabled());
    JsonObject artifactCount = new JsonObject();
    artifactCount.addProperty("total", now.getProtectionPolicyArtifactCount().getTotal());
    artifactCount.addProperty("completed", now.getProtectionPolicyArtifactCount().getCompleted());
    artifactCount.addProperty("inProgress", now.getProtectionPolicyArtifactCount().getInProgress());
    artifactCount.addProperty("failed", now.getProtectionPolicyArtifactCount().getFailed());
    out.add("protectionPolicyArtifactCount", artifactCount);
    JsonArray unitsOut = new JsonArray();
    for (MailboxProtectionUnit u : held.getValue()) {
      JsonObject item = new JsonObject();
      item.addProperty("javaType", u.getClass().getName());
      item.addProperty("id", u.getId());
      item.addProperty("directoryObjectId", u.getDirectoryObjectId());
      item.addProperty("policyId", u.getPolicyId());
      item.add("status", enumValue(u.getStatus()));
      JsonArray sources = new JsonArray();
      if (u.getProtectionSources() != null) u.getProtectionSources().forEach(source -> sources.add(source.getValue()));
      item.add("protectionSources", sources);
      unitsOut.add(item);
    }
    out.add("units", unitsOut);
    return out;
  }

  // 7. A read the mock is told (by a fault rule) to throttle once: the SDK's retry handler, as it
  // ships, waits the Retry-After and sends it again; the caller sees only the success.
  JsonObject retry() {
    long start = System.nanoTime();
    MailboxProtectionUnitCollectionResponse units = backup.mailboxProtectionUnits().get(r -> {
      r.queryParameters.select = new String[] {"id", "status"};
      r.queryParameters.orderby = new String[] {"id"};
    });
    JsonObject out = new JsonObject();
    out.addProperty("callMs", (System.nanoTime() - start) / 1_000_000);
    JsonArray ids = new JsonArray();
    units.getValue().forEach(unit -> ids.add(unit.getId()));
    out.add("ids", ids);
    out.addProperty("nextLink", units.getOdataNextLink());
    return out;
  }

  /** The first `count` restore points of distinct mailboxes, newest first, found by type. */
  List<String> mailboxRestorePoints(int count) {
    RestorePointCollectionResponse page = backup.restorePoints().get(r -> {
      r.queryParameters.expand = new String[] {"protectionUnit"};
      r.queryParameters.orderby = new String[] {"protectionDateTime desc"};
      r.queryParameters.top = 100;
    });
    List<String> points = new ArrayList<>();
    Set<String> units = new LinkedHashSet<>();
    for (RestorePoint point : page.getValue()) {
      ProtectionUnitBase unit = point.getProtectionUnit();
      // The expanded unit's @odata.type makes the SDK build the derived class.
      if (unit instanceof MailboxProtectionUnit && units.add(unit.getId())) points.add(point.getId());
      if (points.size() == count) return points;
    }
    throw new IllegalStateException("fewer than " + count + " mailbox restore points on the first page");
  }

  static MailboxRestoreArtifact newArtifact(String restorePointId) {
    RestorePoint point = new RestorePoint();
    point.setId(restorePointId);
    MailboxRestoreArtifact artifact = new MailboxRestoreArtifact();
    artifact.setRestorePoint(point);
    artifact.setDestinationType(DestinationType.New);
    return artifact;
  }

  interface Read<T> {
    T get();
  }

  /** Reads until done, noting each status that differs from the last one noted. */
  static <T> T poll(Read<T> read, Function<T, String> status, Function<T, Boolean> done, List<String> seen) throws InterruptedException {
    long deadline = System.nanoTime() + POLL_LIMIT_MS * 1_000_000;
    while (true) {
      T now = read.get();
      String s = status.apply(now);
      if (seen.isEmpty() || !s.equals(seen.get(seen.size() - 1))) seen.add(s);
      if (done.apply(now)) return now;
      if (System.nanoTime() > deadline) throw new IllegalStateException("still " + s + " after " + POLL_LIMIT_MS + " ms");
      Thread.sleep(POLL_MS);
    }
  }

  static JsonObject expectODataError(Runnable call) {
    JsonObject out = new JsonObject();
    try {
      call.run();
      out.addProperty("raised", "nothing");
    } catch (ODataError e) {
      out.addProperty("raised", e.getClass().getName());
      out.addProperty("responseStatusCode", e.getResponseStatusCode());
      out.addProperty("code", e.getError().getCode());
      out.addProperty("message", e.getError().getMessage());
      out.addProperty("exceptionMessage", e.getMessage());
      out.addProperty("innerRequestId", e.getError().getInnerError() == null ? null : e.getError().getInnerError().getRequestId());
      out.add("innerDate", dateTime(e.getError().getInnerError() == null ? null : e.getError().getInnerError().getDate()));
      Set<String> requestIds = e.getResponseHeaders().get("request-id");
      out.addProperty("requestIdHeader", requestIds == null || requestIds.isEmpty() ? null : requestIds.iterator().next());
    } catch (ApiException e) {
      out.addProperty("raised", e.getClass().getName());
      out.addProperty("responseStatusCode", e.getResponseStatusCode());
    }
    return out;
  }

  static JsonObject artifact(MailboxRestoreArtifact a) {
    JsonObject out = new JsonObject();
    out.addProperty("javaType", a.getClass().getName());
    out.addProperty("id", a.getId());
    out.add("status", enumValue(a.getStatus()));
    out.add("destinationType", enumValue(a.getDestinationType()));
    out.add("startDateTime", dateTime(a.getStartDateTime()));
    out.add("completionDateTime", dateTime(a.getCompletionDateTime()));
    out.addProperty("restoredFolderName", a.getRestoredFolderName());
    out.add("error", error(a.getError()));
    return out;
  }

  static JsonElement error(PublicError e) {
    if (e == null) return JsonNull.INSTANCE;
    JsonObject out = new JsonObject();
    out.addProperty("code", e.getCode());
    out.addProperty("message", e.getMessage());
    return out;
  }

  static JsonElement counts(RestoreSessionArtifactCount c) {
    if (c == null) return JsonNull.INSTANCE;
    JsonObject out = new JsonObject();
    out.addProperty("total", c.getTotal());
    out.addProperty("completed", c.getCompleted());
    out.addProperty("inProgress", c.getInProgress());
    out.addProperty("failed", c.getFailed());
    return out;
  }

  /** An enum as the SDK typed it: its class, its Java constant and the value it stands for on the wire. */
  static JsonElement enumValue(ValuedEnum value) {
    if (value == null) return JsonNull.INSTANCE;
    JsonObject out = new JsonObject();
    out.addProperty("javaType", value.getClass().getName());
    out.addProperty("constant", ((Enum<?>) value).name());
    out.addProperty("value", value.getValue());
    return out;
  }

  static JsonElement dateTime(OffsetDateTime value) {
    if (value == null) return JsonNull.INSTANCE;
    JsonObject out = new JsonObject();
    out.addProperty("javaType", value.getClass().getName());
    out.addProperty("offset", value.getOffset().getId());
    out.addProperty("utc", NINE_DIGITS.format(value.withOffsetSameInstant(ZoneOffset.UTC)));
    return out;
  }

  static JsonArray strings(List<String> values) {
    JsonArray out = new JsonArray();
    values.forEach(v -> out.add(v == null ? JsonNull.INSTANCE : new JsonPrimitive(v)));
    return out;
  }
}
