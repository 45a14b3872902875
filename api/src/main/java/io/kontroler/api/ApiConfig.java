package io.kontroler.api;

import io.kontroler.api.db.Database;
import io.kontroler.api.http.SecurityConfig;
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
    SecurityConfig security) {

  public ApiConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(consumerGroup, "consumerGroup");
    Objects.requireNonNull(logStore, "logStore");
    Objects.requireNonNull(podPolicy, "podPolicy");
    Objects.requireNonNull(security, "security");
    databaseUrl = databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl;
    adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
    lagGroups = List.copyOf(Objects.requireNonNullElse(lagGroups, List.of(consumerGroup)));
    webhookAllowHosts = List.copyOf(Objects.requireNonNullElse(webhookAllowHosts, List.of()));
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
      ConfigKey.key(
          "api.host",
          ValueType.TEXT,
          "0.0.0.0",
          "Interface to listen on (standalone: 127.0.0.1).",
          ApiConfig::host);
  public static final ConfigKey<ApiConfig, Integer> PORT =
      ConfigKey.key(
          "api.port",
          ValueType.INT.where(p -> p >= 0 && p <= 65535, "a port in 0..65535"),
          "8080",
          "TCP port of the api and the UI; 0 for any free port.",
          ApiConfig::port);
  public static final ConfigKey<ApiConfig, Path> DATA_DIR =
      ConfigKey.key(
          "api.data.dir",
          PATH,
          "kontroler-data",
          "The SQLite file, the local logs and the initial admin password.",
          ApiConfig::dataDir);
  public static final ConfigKey<ApiConfig, String> DB_URL =
      ConfigKey.key(
              "api.db.url",
              ValueType.TEXT,
              null,
              "JDBC URL of the history database: jdbc:postgresql://… for PostgreSQL 16+; none:"
                  + " SQLite at <data dir>/kontroler.db. A password= parameter is masked when"
                  + " shown.",
              ApiConfig::databaseUrl)
          .shownAs("SQLite in the data dir");
  public static final ConfigKey<ApiConfig, String> DB_USER =
      ConfigKey.key("api.db.user", ValueType.TEXT, null, "Database user.", ApiConfig::databaseUser);
  public static final ConfigKey<ApiConfig, String> DB_PASSWORD =
      ConfigKey.key(
              "api.db.password",
              ValueType.TEXT,
              null,
              "Database password.",
              ApiConfig::databasePassword)
          .masked();
  public static final ConfigKey<ApiConfig, Integer> DB_POOL_SIZE =
      ConfigKey.key(
          "api.db.pool.size",
          ValueType.intAtLeast(1),
          "10",
          "Connections to PostgreSQL at most; SQLite uses one.",
          ApiConfig::databasePoolSize);
  public static final ConfigKey<ApiConfig, Duration> DB_CONNECTION_TIMEOUT =
      ConfigKey.key(
          "api.db.connection.timeout",
          ValueType.DURATION.notNegative(),
          "PT5S",
          "How long a request or a history batch waits for a database connection before it"
              + " fails, e.g. while PostgreSQL restarts.",
          ApiConfig::databaseConnectionTimeout);
  public static final ConfigKey<ApiConfig, String> ADMIN_PASSWORD =
      ConfigKey.key(
              "admin.password",
              ValueType.TEXT,
              null,
              "Password of the first admin; none: one is generated, logged once and written to"
                  + " <data dir>/initial-admin-password.",
              ApiConfig::adminPassword)
          .shownAs("generated")
          .masked();
  public static final ConfigKey<ApiConfig, Integer> PASSWORD_ITERATIONS =
      ConfigKey.key(
          "api.password.iterations",
          ValueType.intAtLeast(1),
          "600000",
          "PBKDF2 iterations of new password hashes (OWASP's advice for PBKDF2-HMAC-SHA256); a"
              + " user's older hash is upgraded at their next login.",
          ApiConfig::passwordIterations);
  public static final ConfigKey<ApiConfig, Duration> TOKEN_TTL =
      ConfigKey.key(
          "api.token.ttl",
          ValueType.DURATION.positive(),
          "PT12H",
          "Lifetime of a login session, at most api.token.max.ttl.",
          ApiConfig::tokenTtl);
  public static final ConfigKey<ApiConfig, Boolean> SECURE_COOKIE =
      ConfigKey.key(
          "api.secure.cookie",
          ValueType.BOOL,
          "false",
          "Mark the session cookie Secure even when the request did not come over TLS (it always"
              + " is when it did, or a proxy says X-Forwarded-Proto: https).",
          ApiConfig::secureCookie);
  public static final ConfigKey<ApiConfig, Long> MAX_BODY_BYTES =
      ConfigKey.key(
          "api.max.body.bytes",
          ValueType.LONG.where(v -> v > 0, "a size > 0"),
          String.valueOf(1024 * 1024),
          "Largest request body; larger gets 413.",
          ApiConfig::maxBodyBytes);
  public static final ConfigKey<ApiConfig, Duration> SUBMISSION_TIMEOUT =
      ConfigKey.key(
          "api.submission.timeout",
          ValueType.DURATION.positive(),
          "PT15S",
          "How long applying a DAG or DagTask waits for the scheduler to publish its version;"
              + " 504 after.",
          ApiConfig::submissionTimeout);
  public static final ConfigKey<ApiConfig, String> CONSUMER_GROUP =
      ConfigKey.key(
          "api.consumer.group",
          ValueType.TEXT,
          "kontroler-api",
          "Group of the run-events projection; replicas share the work.",
          ApiConfig::consumerGroup);
  public static final ConfigKey<ApiConfig, List<String>> LAG_GROUPS =
      ConfigKey.key(
              "api.lag.groups",
              ValueType.LIST,
              null,
              "Consumer groups whose lag /metrics reports, comma separated.",
              ApiConfig::lagGroups)
          .shownAs("api.consumer.group,kontroler-scheduler,kontroler-executor");
  public static final ConfigKey<ApiConfig, Integer> WEBHOOK_MAX_ATTEMPTS =
      ConfigKey.key(
          "api.webhook.max.attempts",
          ValueType.intAtLeast(1),
          "8",
          "Attempts of a webhook delivery before it fails.",
          ApiConfig::webhookMaxAttempts);
  public static final ConfigKey<ApiConfig, Duration> WEBHOOK_BACKOFF =
      ConfigKey.key(
          "api.webhook.backoff",
          ValueType.DURATION.notNegative(),
          "PT1S",
          "Wait before the first retry of a delivery, doubled each time.",
          ApiConfig::webhookInitialBackoff);
  public static final ConfigKey<ApiConfig, Duration> WEBHOOK_TIMEOUT =
      ConfigKey.key(
          "api.webhook.timeout",
          ValueType.DURATION.positive(),
          "PT10S",
          "Timeout of one delivery attempt.",
          ApiConfig::webhookTimeout);
  public static final ConfigKey<ApiConfig, Integer> WEBHOOK_LANES =
      ConfigKey.key(
          "api.webhook.lanes",
          ValueType.intAtLeast(1),
          "16",
          "Webhook target URLs served at the same time, each in its own queue.",
          ApiConfig::webhookLanes);
  public static final ConfigKey<ApiConfig, List<String>> WEBHOOK_ALLOW_HOSTS =
      ConfigKey.key(
          "api.webhooks.allow-hosts",
          ValueType.LIST,
          null,
          "Webhook targets allowed although they are loopback, link-local, private, multicast"
              + " or unspecified: host names, addresses or CIDR blocks, comma separated.",
          ApiConfig::webhookAllowHosts);

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
              WEBHOOK_ALLOW_HOSTS)
          .with(SecurityConfig.TABLE, ApiConfig::security)
          .with(FinishedRuns.TABLE, ApiConfig::retryWindow)
          .with(KafkaSettings.TABLE, ApiConfig::kafka)
          .with(Topics.TABLE, ApiConfig::topics)
          .with(LogStoreConfig.TABLE, ApiConfig::logStore)
          .with(PodPolicy.TABLE, ApiConfig::podPolicy);

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
        SecurityConfig.from(v));
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
