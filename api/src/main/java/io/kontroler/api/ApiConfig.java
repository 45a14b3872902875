package io.kontroler.api;

import io.kontroler.api.db.Database;
import io.kontroler.api.http.SecurityConfig;
import io.kontroler.broker.KafkaSettings;
import io.kontroler.core.message.FinishedRuns;
import io.kontroler.core.message.Topics;
import io.kontroler.core.validate.PodPolicy;
import io.kontroler.logstore.LogStoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Configuration of the api server. Every key has a default; {@link #fromFlat(Map)} reads the flat
 * keys given in brackets (environment {@code KONTROLER_API_PORT} is {@code api.port}). {@link
 * #toString()} masks secrets.
 *
 * @param host interface to listen on [{@code api.host}: {@code 0.0.0.0}]
 * @param port TCP port, 0 for any free port [{@code api.port}: 8080]
 * @param dataDir the SQLite file and the initial admin password [{@code api.data.dir}: {@code
 *     kontroler-data}]
 * @param databaseUrl JDBC URL of the history database [{@code api.db.url}]: none for SQLite at
 *     {@code <dataDir>/kontroler.db}; {@code jdbc:postgresql://…} for PostgreSQL 16+
 * @param databaseUser database user [{@code api.db.user}: none]
 * @param databasePassword database password [{@code api.db.password}: none], masked when logged
 * @param kafka bootstrap servers and client properties [{@code kafka.*}: localhost:9092]
 * @param topics topic names [{@code topics.*}: {@link Topics#DEFAULT}]
 * @param consumerGroup group of the run-events projection; replicas share the work [{@code
 *     api.consumer.group}: {@code kontroler-api}]
 * @param lagGroups consumer groups whose lag {@code /metrics} reports, comma separated [{@code
 *     api.lag.groups}: the api's group, {@code kontroler-scheduler} and {@code kontroler-executor},
 *     the default groups of the scheduler and the executors]
 * @param maxBodyBytes largest request body; larger gets 413 [{@code api.max.body.bytes}: 1 MiB]
 * @param tokenTtl lifetime of a login session or API token [{@code api.token.ttl}: {@code PT12H}]
 * @param adminPassword password of the first admin [{@code admin.password}, i.e. {@code
 *     KONTROLER_ADMIN_PASSWORD}]: none to generate one, logged once and written to {@code
 *     <dataDir>/initial-admin-password}
 * @param passwordIterations PBKDF2 iterations of new password hashes [{@code
 *     api.password.iterations}: 600000, OWASP's advice for PBKDF2-HMAC-SHA256]; a user's older hash
 *     is upgraded at their next login
 * @param secureCookie mark the session cookie {@code Secure} even when the request did not come
 *     over TLS (it always is when it did, or a proxy says {@code X-Forwarded-Proto: https}) [{@code
 *     api.secure.cookie}: false]
 * @param webhookMaxAttempts attempts of a delivery before it fails [{@code
 *     api.webhook.max.attempts}: 8]
 * @param webhookInitialBackoff wait before the first retry, doubled each time [{@code
 *     api.webhook.backoff}: {@code PT1S}]
 * @param webhookTimeout timeout of one delivery attempt [{@code api.webhook.timeout}: {@code
 *     PT10S}]
 * @param logStore where attempt logs are read [{@code logs.*}: a folder {@code <dataDir>/logs}]
 * @param retryWindow how long after it finished a run can be retried: the scheduler's retention of
 *     finished runs [{@code scheduler.finished.run.retention.ms}: 7 days]
 * @param databasePoolSize connections to PostgreSQL at most; SQLite uses one [{@code
 *     api.db.pool.size}: 10]
 * @param databaseConnectionTimeout how long a request or a history batch waits for a database
 *     connection before it fails, e.g. while PostgreSQL restarts [{@code
 *     api.db.connection.timeout}: {@code PT5S}]
 * @param submissionTimeout how long applying a DAG or DagTask waits for the scheduler to publish
 *     its version [{@code api.submission.timeout}: {@code PT15S}]
 * @param webhookAllowHosts webhook targets allowed although they are loopback, link-local, private,
 *     multicast or unspecified: host names and addresses or CIDR blocks, comma separated [{@code
 *     api.webhooks.allow-hosts}: none]
 * @param webhookLanes webhook target URLs served at the same time, each in its own queue [{@code
 *     api.webhook.lanes}: 16]
 * @param podPolicy what applied DAGs' pods may use [{@code policy.pod.*}: {@link PodPolicy}]
 * @param security token, login, origin and live-stream limits [{@link SecurityConfig}]
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
    host = host == null || host.isBlank() ? "0.0.0.0" : host;
    dataDir = Objects.requireNonNullElse(dataDir, Path.of("kontroler-data"));
    databaseUrl = databaseUrl == null || databaseUrl.isBlank() ? null : databaseUrl;
    kafka = Objects.requireNonNullElse(kafka, KafkaSettings.of("localhost:9092"));
    topics = Objects.requireNonNullElse(topics, Topics.DEFAULT);
    consumerGroup = consumerGroup == null ? "kontroler-api" : consumerGroup;
    lagGroups = List.copyOf(Objects.requireNonNullElse(lagGroups, List.of(consumerGroup)));
    tokenTtl = Objects.requireNonNullElse(tokenTtl, Duration.ofHours(12));
    adminPassword = adminPassword == null || adminPassword.isEmpty() ? null : adminPassword;
    webhookInitialBackoff =
        Objects.requireNonNullElse(webhookInitialBackoff, Duration.ofSeconds(1));
    webhookTimeout = Objects.requireNonNullElse(webhookTimeout, Duration.ofSeconds(10));
    logStore = Objects.requireNonNullElse(logStore, LogStoreConfig.defaults(dataDir));
    retryWindow = Objects.requireNonNullElse(retryWindow, FinishedRuns.DEFAULT_RETENTION);
    databaseConnectionTimeout =
        Objects.requireNonNullElse(databaseConnectionTimeout, Duration.ofSeconds(5));
    submissionTimeout = Objects.requireNonNullElse(submissionTimeout, Duration.ofSeconds(15));
    webhookAllowHosts = List.copyOf(Objects.requireNonNullElse(webhookAllowHosts, List.of()));
    if (databasePoolSize < 1 || webhookLanes < 1) {
      throw new IllegalArgumentException(
          "Expected api.db.pool.size and api.webhook.lanes > 0, but got "
              + databasePoolSize
              + ", "
              + webhookLanes);
    }
    if (submissionTimeout.isNegative() || submissionTimeout.isZero()) {
      throw new IllegalArgumentException(
          "Expected a positive api.submission.timeout, but got " + submissionTimeout);
    }
    podPolicy = Objects.requireNonNullElse(podPolicy, PodPolicy.RESTRICTED);
    security = Objects.requireNonNullElse(security, SecurityConfig.DEFAULT);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Expected a port in 0..65535, but got " + port);
    }
    if (maxBodyBytes <= 0 || passwordIterations < 1 || webhookMaxAttempts < 1) {
      throw new IllegalArgumentException(
          "Expected api.max.body.bytes, api.password.iterations and api.webhook.max.attempts > 0,"
              + " but got "
              + maxBodyBytes
              + ", "
              + passwordIterations
              + ", "
              + webhookMaxAttempts);
    }
    if (tokenTtl.isNegative() || tokenTtl.isZero()) {
      throw new IllegalArgumentException("Expected a positive api.token.ttl, but got " + tokenTtl);
    }
    if (tokenTtl.compareTo(security.maxTokenTtl()) > 0) {
      throw new IllegalArgumentException(
          "Expected api.token.ttl at most api.token.max.ttl ("
              + security.maxTokenTtl()
              + "), but got "
              + tokenTtl);
    }
  }

  /** Every default, with data in {@code dataDir}. */
  public static ApiConfig defaults(Path dataDir) {
    return fromFlat(Map.of("api.data.dir", dataDir.toString()));
  }

  /** Reads the keys listed on this type; absent keys take their defaults. */
  public static ApiConfig fromFlat(Map<String, String> c) {
    Path dataDir = Path.of(c.getOrDefault("api.data.dir", "kontroler-data"));
    Topics topics = Topics.fromFlat(c);
    String group = c.getOrDefault("api.consumer.group", "kontroler-api");
    String lag = c.get("api.lag.groups");
    return new ApiConfig(
        c.get("api.host"),
        Integer.parseInt(c.getOrDefault("api.port", "8080").trim()),
        dataDir,
        c.get("api.db.url"),
        c.get("api.db.user"),
        c.get("api.db.password"),
        KafkaSettings.fromFlat(c, "localhost:9092"),
        topics,
        group,
        lag == null || lag.isBlank()
            ? List.of(group, "kontroler-scheduler", "kontroler-executor")
            : list(lag),
        Long.parseLong(c.getOrDefault("api.max.body.bytes", String.valueOf(1024 * 1024)).trim()),
        Duration.parse(c.getOrDefault("api.token.ttl", "PT12H").trim()),
        c.get("admin.password"),
        Integer.parseInt(c.getOrDefault("api.password.iterations", "600000").trim()),
        Boolean.parseBoolean(c.getOrDefault("api.secure.cookie", "false").trim()),
        Integer.parseInt(c.getOrDefault("api.webhook.max.attempts", "8").trim()),
        Duration.parse(c.getOrDefault("api.webhook.backoff", "PT1S").trim()),
        Duration.parse(c.getOrDefault("api.webhook.timeout", "PT10S").trim()),
        LogStoreConfig.fromFlat(c, dataDir),
        FinishedRuns.retention(c),
        Integer.parseInt(c.getOrDefault("api.db.pool.size", "10").trim()),
        Duration.parse(c.getOrDefault("api.db.connection.timeout", "PT5S").trim()),
        Duration.parse(c.getOrDefault("api.submission.timeout", "PT15S").trim()),
        list(c.get("api.webhooks.allow-hosts")),
        Integer.parseInt(c.getOrDefault("api.webhook.lanes", "16").trim()),
        PodPolicy.fromFlat(c),
        SecurityConfig.fromFlat(c));
  }

  private static List<String> list(String commaSeparated) {
    return commaSeparated == null
        ? List.of()
        : Arrays.stream(commaSeparated.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
  }

  /**
   * {@link #fromFlat} over {@code KONTROLER_*} environment variables: {@code KONTROLER_API_PORT} is
   * {@code api.port}, a double underscore stands for a dash ({@code KONTROLER_TOPICS_RUN__EVENTS}).
   */
  public static ApiConfig fromEnvironment(Map<String, String> env) {
    Map<String, String> flat = new TreeMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("KONTROLER_") && name.length() > "KONTROLER_".length()) {
            String rest = name.substring("KONTROLER_".length()).toLowerCase(Locale.ROOT);
            flat.put(rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-'), value);
          }
        });
    return fromFlat(flat);
  }

  /** The JDBC URL in use: the configured one, or SQLite in the data directory. */
  public String jdbcUrl() {
    return databaseUrl != null
        ? databaseUrl
        : "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("kontroler.db");
  }

  public ApiConfig withPort(int value) {
    return new Builder(this).port(value).build();
  }

  public ApiConfig withDatabase(String url, String user, String password) {
    return new Builder(this).database(url, user, password).build();
  }

  public ApiConfig withKafka(KafkaSettings value, Topics names) {
    return new Builder(this).kafka(value, names).build();
  }

  /** The projection's consumer group and the groups whose lag is reported. */
  public ApiConfig withGroups(String group, List<String> lag) {
    return new Builder(this).groups(group, lag).build();
  }

  /** Body limit, password cost, admin password and webhook backoff: small installs and tests. */
  public ApiConfig withLimits(long maxBody, int iterations, String admin, Duration backoff) {
    return new Builder(this).limits(maxBody, iterations, admin, backoff).build();
  }

  /** The pool of the history database. */
  public Database.Pool databasePool() {
    return new Database.Pool(databasePoolSize, databaseConnectionTimeout);
  }

  /** Pool size and connection timeout of the history database. */
  public ApiConfig withDatabasePool(int size, Duration connectionTimeout) {
    return new Builder(this).pool(size, connectionTimeout).build();
  }

  /** How long an apply waits for the scheduler's version. */
  public ApiConfig withSubmissionTimeout(Duration value) {
    return new Builder(this).submissionTimeout(value).build();
  }

  /** Webhook targets allowed although internal (hosts, addresses, CIDR blocks). */
  public ApiConfig withWebhookAllowHosts(List<String> value) {
    return new Builder(this).allowHosts(value).build();
  }

  /** Webhook attempts, first backoff and per-attempt timeout. */
  public ApiConfig withWebhooks(int maxAttempts, Duration backoff, Duration timeout) {
    return new Builder(this).webhooks(maxAttempts, backoff, timeout).build();
  }

  /** Token, login, origin and live-stream limits. */
  public ApiConfig withSecurity(SecurityConfig value) {
    return new Builder(this).security(value).build();
  }

  @Override
  public String toString() {
    return "ApiConfig[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", database="
        + maskUrl(jdbcUrl())
        + ", databaseUser="
        + databaseUser
        + ", databasePassword="
        + (databasePassword == null ? "none" : "****")
        + ", kafka="
        + kafka
        + ", topics="
        + topics
        + ", consumerGroup="
        + consumerGroup
        + ", lagGroups="
        + lagGroups
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", tokenTtl="
        + tokenTtl
        + ", adminPassword="
        + (adminPassword == null ? "generated" : "****")
        + ", passwordIterations="
        + passwordIterations
        + ", secureCookie="
        + secureCookie
        + ", webhookMaxAttempts="
        + webhookMaxAttempts
        + ", webhookInitialBackoff="
        + webhookInitialBackoff
        + ", webhookTimeout="
        + webhookTimeout
        + ", logStore="
        + logStore
        + ", retryWindow="
        + retryWindow
        + ", databasePoolSize="
        + databasePoolSize
        + ", databaseConnectionTimeout="
        + databaseConnectionTimeout
        + ", submissionTimeout="
        + submissionTimeout
        + ", webhookAllowHosts="
        + webhookAllowHosts
        + ", webhookLanes="
        + webhookLanes
        + ", podPolicy="
        + podPolicy
        + ", security="
        + security
        + "]";
  }

  /** A JDBC URL without the value of a {@code password=} parameter. */
  static String maskUrl(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
  }

  /** Copies a configuration with some values changed. */
  private static final class Builder {
    private String host;
    private int port;
    private Path dataDir;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private KafkaSettings kafka;
    private Topics topics;
    private String group;
    private List<String> lag;
    private long maxBody;
    private Duration ttl;
    private String admin;
    private int iterations;
    private boolean secure;
    private int attempts;
    private Duration backoff;
    private Duration timeout;
    private LogStoreConfig logs;
    private Duration retryWindow;
    private int poolSize;
    private Duration connectionTimeout;
    private Duration submissionTimeout;
    private List<String> allowHosts;
    private int lanes;
    private PodPolicy podPolicy;
    private SecurityConfig security;

    Builder(ApiConfig c) {
      host = c.host;
      port = c.port;
      dataDir = c.dataDir;
      dbUrl = c.databaseUrl;
      dbUser = c.databaseUser;
      dbPassword = c.databasePassword;
      kafka = c.kafka;
      topics = c.topics;
      group = c.consumerGroup;
      lag = c.lagGroups;
      maxBody = c.maxBodyBytes;
      ttl = c.tokenTtl;
      admin = c.adminPassword;
      iterations = c.passwordIterations;
      secure = c.secureCookie;
      attempts = c.webhookMaxAttempts;
      backoff = c.webhookInitialBackoff;
      timeout = c.webhookTimeout;
      logs = c.logStore;
      retryWindow = c.retryWindow;
      podPolicy = c.podPolicy;
      security = c.security;
      poolSize = c.databasePoolSize;
      connectionTimeout = c.databaseConnectionTimeout;
      submissionTimeout = c.submissionTimeout;
      allowHosts = c.webhookAllowHosts;
      lanes = c.webhookLanes;
    }

    Builder pool(int size, Duration timeout) {
      poolSize = size;
      connectionTimeout = timeout;
      return this;
    }

    Builder submissionTimeout(Duration value) {
      submissionTimeout = value;
      return this;
    }

    Builder allowHosts(List<String> value) {
      allowHosts = value;
      return this;
    }

    Builder security(SecurityConfig value) {
      security = value;
      return this;
    }

    Builder port(int value) {
      port = value;
      return this;
    }

    Builder database(String url, String user, String password) {
      dbUrl = url;
      dbUser = user;
      dbPassword = password;
      return this;
    }

    Builder kafka(KafkaSettings value, Topics names) {
      kafka = value;
      topics = names;
      return this;
    }

    Builder groups(String value, List<String> lagGroups) {
      group = value;
      lag = lagGroups;
      return this;
    }

    Builder limits(long body, int rounds, String password, Duration webhookBackoff) {
      maxBody = body;
      iterations = rounds;
      admin = password;
      backoff = webhookBackoff;
      return this;
    }

    Builder webhooks(int maxAttempts, Duration first, Duration perAttempt) {
      attempts = maxAttempts;
      backoff = first;
      timeout = perAttempt;
      return this;
    }

    ApiConfig build() {
      return new ApiConfig(
          host,
          port,
          dataDir,
          dbUrl,
          dbUser,
          dbPassword,
          kafka,
          topics,
          group,
          lag,
          maxBody,
          ttl,
          admin,
          iterations,
          secure,
          attempts,
          backoff,
          timeout,
          logs,
          retryWindow,
          poolSize,
          connectionTimeout,
          submissionTimeout,
          allowHosts,
          lanes,
          podPolicy,
          security);
    }
  }
}
