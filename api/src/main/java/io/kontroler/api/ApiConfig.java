package io.kontroler.api;

import static io.kontroler.core.config.ConfigKey.key;
import static io.kontroler.core.config.ValueType.BOOL;
import static io.kontroler.core.config.ValueType.DURATION;
import static io.kontroler.core.config.ValueType.INT;
import static io.kontroler.core.config.ValueType.LIST;
import static io.kontroler.core.config.ValueType.LONG;
import static io.kontroler.core.config.ValueType.TEXT;

import io.kontroler.api.auth.OidcConfig;
import io.kontroler.api.db.Database;
import io.kontroler.api.history.RetentionConfig;
import io.kontroler.api.http.SecurityConfig;
import io.kontroler.api.pools.PoolLimits;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.config.ConfigKey;
import io.kontroler.core.config.ConfigTable;
import io.kontroler.core.config.ConfigValues;
import io.kontroler.core.config.ValueType;
import io.kontroler.core.message.FinishedRuns;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.logstore.LogStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the api server. Every key is described once, in {@link #TABLE} ({@code kontroler
 * api --help} and the README list them); {@link #toString()} masks secrets.
 */
public record ApiConfig(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    KafkaSettings kafka,
    Topics topics,
    String consumerGroup,
    List<String> lagGroups,
    long maxBodyBytes,
    Duration tokenTtl,
    String adminPassword,
    int passwordIterations,
    boolean secureCookie,
    int webhookMaxAttempts,
    Duration webhookInitialBackoff,
    Duration webhookTimeout,
    LogStoreConfig logStore,
    Duration retryWindow,
    int databasePoolSize,
    Duration databaseConnectionTimeout,
    Duration submissionTimeout,
    List<String> webhookAllowHosts,
    int webhookLanes,
    PodPolicy podPolicy,
    SecurityConfig security,
    OidcConfig oidc,
    RetentionConfig history,
    Map<String, Integer> pools) {

  public ApiConfig {
    databaseUrl = databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl;
    adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
    lagGroups = List.copyOf(Objects.requireNonNullElse(lagGroups, List.of(consumerGroup)));
    webhookAllowHosts = List.copyOf(Objects.requireNonNullElse(webhookAllowHosts, List.of()));
    pools =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNullElse(pools, Map.of())));
    if (tokenTtl.compareTo(security.maxTokenTtl()) > 0) {
      throw new IllegalArgumentException(
          "Expected api.token.ttl at most api.token.max.ttl ("
              + security.maxTokenTtl()
              + "), but got "
              + tokenTtl);
    }
  }

  private static final ValueType<Path> PATH = ValueType.of("path", Path::of, Path::toString);

  public static final ConfigKey<ApiConfig, String> HOST =
      key("api.host", TEXT, "0.0.0.0")
          .readFrom(ApiConfig::host)
          .doc("Interface to listen on (standalone: 127.0.0.1).");
  public static final ConfigKey<ApiConfig, Integer> PORT =
      key("api.port", INT.between(0, 65535), "8080")
          .readFrom(ApiConfig::port)
          .doc("TCP port of the api and the UI; 0 for any free port.");
  public static final ConfigKey<ApiConfig, Path> DATA_DIR =
      key("api.data.dir", PATH, "kontroler-data")
          .readFrom(ApiConfig::dataDir)
          .doc("The SQLite file, the local logs and the initial admin password.");
  public static final ConfigKey<ApiConfig, String> DB_URL =
      key("api.db.url", TEXT, null)
          .readFrom(ApiConfig::databaseUrl)
          .doc(
              "JDBC URL of the history database: jdbc:postgresql://… for PostgreSQL 16+; none: SQLite at <data dir>/kontroler.db. A password= parameter is masked when shown.")
          .shownAs("SQLite in the data dir");
  public static final ConfigKey<ApiConfig, String> DB_USER =
      key("api.db.user", TEXT, null).readFrom(ApiConfig::databaseUser).doc("Database user.");
  public static final ConfigKey<ApiConfig, String> DB_PASSWORD =
      key("api.db.password", TEXT, null)
          .readFrom(ApiConfig::databasePassword)
          .doc("Database password.")
          .masked();
  public static final ConfigKey<ApiConfig, Integer> DB_POOL_SIZE =
      key("api.db.pool.size", INT.atLeast(1), "10")
          .readFrom(ApiConfig::databasePoolSize)
          .doc("Connections to PostgreSQL at most; SQLite uses one.");
  public static final ConfigKey<ApiConfig, Duration> DB_CONNECTION_TIMEOUT =
      key("api.db.connection.timeout", DURATION.notNegative(), "PT5S")
          .readFrom(ApiConfig::databaseConnectionTimeout)
          .doc(
              "How long a request or a history batch waits for a database connection before it fails, e.g. while PostgreSQL restarts.");
  public static final ConfigKey<ApiConfig, String> ADMIN_PASSWORD =
      key("admin.password", TEXT, null)
          .readFrom(ApiConfig::adminPassword)
          .doc(
              "Password of the first admin; none: one is generated, logged once and written to <data dir>/initial-admin-password.")
          .shownAs("generated")
          .masked();
  public static final ConfigKey<ApiConfig, Integer> PASSWORD_ITERATIONS =
      key("api.password.iterations", INT.atLeast(1), "600000")
          .readFrom(ApiConfig::passwordIterations)
          .doc(
              "PBKDF2 iterations of new password hashes (OWASP's advice for PBKDF2-HMAC-SHA256); a user's older hash is upgraded at their next login.");
  public static final ConfigKey<ApiConfig, Duration> TOKEN_TTL =
      key("api.token.ttl", DURATION.positive(), "PT12H")
          .readFrom(ApiConfig::tokenTtl)
          .doc("Lifetime of a login session, at most api.token.max.ttl.");
  public static final ConfigKey<ApiConfig, Boolean> SECURE_COOKIE =
      key("api.secure.cookie", BOOL, "false")
          .readFrom(ApiConfig::secureCookie)
          .doc(
              "Mark the session cookie Secure even when the request did not come over TLS (it always is when it did, or a proxy says X-Forwarded-Proto: https).");
  public static final ConfigKey<ApiConfig, Long> MAX_BODY_BYTES =
      key("api.max.body.bytes", LONG.atLeast(1), String.valueOf(1024 * 1024))
          .readFrom(ApiConfig::maxBodyBytes)
          .doc("Largest request body; larger gets 413.");
  public static final ConfigKey<ApiConfig, Duration> SUBMISSION_TIMEOUT =
      key("api.submission.timeout", DURATION.positive(), "PT15S")
          .readFrom(ApiConfig::submissionTimeout)
          .doc(
              "How long applying a DAG or DagTask waits for the scheduler to publish its version; 504 after.");
  public static final ConfigKey<ApiConfig, String> CONSUMER_GROUP =
      key("api.consumer.group", TEXT, "kontroler-api")
          .readFrom(ApiConfig::consumerGroup)
          .doc("Group of the run-events projection; replicas share the work.");
  public static final ConfigKey<ApiConfig, List<String>> LAG_GROUPS =
      key("api.lag.groups", LIST, null)
          .readFrom(ApiConfig::lagGroups)
          .doc("Consumer groups whose lag /metrics reports, comma separated.")
          .shownAs("api.consumer.group,kontroler-scheduler,kontroler-executor");
  public static final ConfigKey<ApiConfig, Integer> WEBHOOK_MAX_ATTEMPTS =
      key("api.webhook.max.attempts", INT.atLeast(1), "8")
          .readFrom(ApiConfig::webhookMaxAttempts)
          .doc("Attempts of a webhook delivery before it fails.");
  public static final ConfigKey<ApiConfig, Duration> WEBHOOK_BACKOFF =
      key("api.webhook.backoff", DURATION.notNegative(), "PT1S")
          .readFrom(ApiConfig::webhookInitialBackoff)
          .doc("Wait before the first retry of a delivery, doubled each time.");
  public static final ConfigKey<ApiConfig, Duration> WEBHOOK_TIMEOUT =
      key("api.webhook.timeout", DURATION.positive(), "PT10S")
          .readFrom(ApiConfig::webhookTimeout)
          .doc("Timeout of one delivery attempt.");
  public static final ConfigKey<ApiConfig, Integer> WEBHOOK_LANES =
      key("api.webhook.lanes", INT.atLeast(1), "16")
          .readFrom(ApiConfig::webhookLanes)
          .doc("Webhook target URLs served at the same time, each in its own queue.");
  public static final ConfigKey<ApiConfig, List<String>> WEBHOOK_ALLOW_HOSTS =
      key("api.webhooks.allow-hosts", LIST, null)
          .readFrom(ApiConfig::webhookAllowHosts)
          .doc(
              "Webhook targets allowed although they are loopback, link-local, private, multicast or unspecified: host names, addresses or CIDR blocks, comma separated.");
  public static final ConfigKey<ApiConfig, Map<String, Integer>> POOLS =
      key("api.pools", PoolLimits.SLOTS_BY_POOL, null)
          .readFrom(ApiConfig::pools)
          .doc(
              "Shared pools declared with the api, name=slots comma separated (e.g. warehouse=2,reporting=4): each pool's slots are set when the api starts. None: pools are set only through PUT /api/v1/pools/{name} or kontroler pools set.")
          .shownAs("none");

  /** Every key of the api. */
  public static final ConfigTable<ApiConfig> TABLE =
      ConfigTable.of(
              HOST,
              PORT,
              DATA_DIR,
              DB_URL,
              DB_USER,
              DB_PASSWORD,
              DB_POOL_SIZE,
              DB_CONNECTION_TIMEOUT,
              ADMIN_PASSWORD,
              PASSWORD_ITERATIONS,
              TOKEN_TTL,
              SECURE_COOKIE,
              MAX_BODY_BYTES,
              SUBMISSION_TIMEOUT,
              CONSUMER_GROUP,
              LAG_GROUPS,
              WEBHOOK_MAX_ATTEMPTS,
              WEBHOOK_BACKOFF,
              WEBHOOK_TIMEOUT,
              WEBHOOK_LANES,
              WEBHOOK_ALLOW_HOSTS,
              POOLS)
          .with(SecurityConfig.TABLE, ApiConfig::security)
          .with(OidcConfig.TABLE, ApiConfig::oidc)
          .with(FinishedRuns.TABLE, ApiConfig::retryWindow)
          .with(KafkaSettings.TABLE, ApiConfig::kafka)
          .with(Topics.TABLE, ApiConfig::topics)
          .with(LogStoreConfig.TABLE, ApiConfig::logStore)
          .with(PodPolicy.TABLE, ApiConfig::podPolicy)
          .with(RetentionConfig.TABLE, ApiConfig::history);

  /** Every default, with data in {@code dataDir}. */
  public static ApiConfig defaults(Path dataDir) {
    return fromFlat(DATA_DIR.set(dataDir));
  }

  /** Reads the keys of {@link #TABLE}; absent keys take their defaults. */
  public static ApiConfig fromFlat(Map<String, String> c) {
    ConfigValues v = TABLE.require(c);
    Path dataDir = v.get(DATA_DIR);
    String group = v.get(CONSUMER_GROUP);
    return new ApiConfig(
        v.get(HOST),
        v.get(PORT),
        dataDir,
        v.get(DB_URL),
        v.get(DB_USER),
        v.get(DB_PASSWORD),
        KafkaSettings.from(v),
        Topics.from(v),
        group,
        Objects.requireNonNullElse(
            v.get(LAG_GROUPS), List.of(group, "kontroler-scheduler", "kontroler-executor")),
        v.get(MAX_BODY_BYTES),
        v.get(TOKEN_TTL),
        v.get(ADMIN_PASSWORD),
        v.get(PASSWORD_ITERATIONS),
        v.get(SECURE_COOKIE),
        v.get(WEBHOOK_MAX_ATTEMPTS),
        v.get(WEBHOOK_BACKOFF),
        v.get(WEBHOOK_TIMEOUT),
        LogStoreConfig.from(v, dataDir),
        v.get(FinishedRuns.RETENTION),
        v.get(DB_POOL_SIZE),
        v.get(DB_CONNECTION_TIMEOUT),
        v.get(SUBMISSION_TIMEOUT),
        v.get(WEBHOOK_ALLOW_HOSTS),
        v.get(WEBHOOK_LANES),
        PodPolicy.from(v),
        SecurityConfig.from(v),
        OidcConfig.from(v),
        RetentionConfig.from(v),
        v.get(POOLS));
  }

  /** A copy with the keys {@code overrides} sets, e.g. {@code with(PORT.set(0))}. */
  public ApiConfig with(Map<String, String> overrides) {
    return fromFlat(TABLE.merged(this, overrides));
  }

  /** The JDBC URL in use: the configured one, or SQLite in the data directory. */
  public String jdbcUrl() {
    return databaseUrl != null
        ? databaseUrl
        : "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("kontroler.db");
  }

  /** The pool of the history database. */
  public Database.Pool databasePool() {
    return new Database.Pool(databasePoolSize, databaseConnectionTimeout);
  }

  /** Safe to log: secrets and passwords in URLs are masked. */
  @Override
  public String toString() {
    return TABLE.show("ApiConfig", this);
  }
}
