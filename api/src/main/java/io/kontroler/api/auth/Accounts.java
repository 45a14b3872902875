package io.kontroler.api.auth;

import io.kontroler.api.db.Database;
import io.kontroler.api.db.Rows;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Users and their API tokens in the history database. Tokens are random ({@code kt_} and 32 bytes),
 * stored only as their SHA-256, expire, and can be revoked.
 */
public final class Accounts {
  private static final String TOKEN_PREFIX = "kt_";
  private static final String CODE_PREFIX = "kc_";

  /** A user as listed. */
  public record User(String username, Role role, Instant createdAt) {}

  /** A token as listed: never the token itself. */
  public record TokenInfo(
      String id, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {}

  /** A freshly issued token: the only time its secret is seen. */
  public record Issued(String id, String token, Instant expiresAt) {}

  /** What a sign-in through an identity provider did to the user of that name. */
  public enum External {
    CREATED,
    UPDATED,
    UNCHANGED,
    /** A local account, or the user of another subject, has the name: left alone. */
    TAKEN
  }

  /**
   * Marks the password hash of a user of an identity provider: no password matches it, and it ties
   * the name to one subject of one issuer.
   */
  private static final String EXTERNAL_PREFIX = "external:";

  private final Database db;
  private final Passwords passwords;
  private final SecureRandom random;
  private final Clock clock;
  private final String unknownUserHash;

  public Accounts(Database db, Passwords passwords, SecureRandom random, Clock clock) {
    this.db = db;
    this.passwords = passwords;
    this.random = random;
    this.clock = clock;
    this.unknownUserHash = passwords.hash(passwords.generate());
  }

  public boolean anyUser() {
    return db.read(
        c -> {
          try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM users")) {
            rs.next();
            return rs.getLong(1) > 0;
          }
        });
  }

  /** Creates a user; false when the name is taken. */
  public boolean create(String username, String password, Role role) {
    String hash = passwords.hash(password);
    return db.transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?,"
                      + " ?) ON CONFLICT (username) DO NOTHING")) {
            Rows.bind(ps, username, hash, role.name(), clock.instant());
            return ps.executeUpdate() == 1;
          }
        });
  }

  public List<User> list() {
    return db.read(
        c -> {
          List<User> users = new ArrayList<>();
          try (ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT username, role, created_at FROM users ORDER BY username")) {
            while (rs.next()) {
              users.add(
                  new User(
                      rs.getString(1),
                      Role.parse(rs.getString(2)).orElse(Role.viewer),
                      Rows.instant(rs, "created_at")));
            }
          }
          return users;
        });
  }

  public Optional<User> find(String username) {
    return list().stream().filter(u -> u.username().equals(username)).findFirst();
  }

  /**
   * The user's role when {@code password} is theirs. A hash weaker than the configured cost is
   * replaced by a new one of the same password, which leaves the user's tokens alone.
   */
  public Optional<Role> check(String username, String password) {
    Optional<String[]> row =
        db.read(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT password_hash, role FROM users WHERE username = ?")) {
                Rows.bind(ps, username);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
                      : Optional.<String[]>empty();
                }
              }
            });
    if (row.isEmpty()) {
      passwords.matches(password, unknownUserHash); // the same cost as for a real user
      return Optional.empty();
    }
    String stored = row.get()[0];
    if (!passwords.matches(password, stored)) {
      return Optional.empty();
    }
    if (passwords.needsRehash(stored)) {
      update(
          "UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?",
          passwords.hash(password),
          username,
          stored);
    }
    return Role.parse(row.get()[1]);
  }

  /**
   * Sets a user's password and revokes every session and token they hold, in one transaction:
   * whoever knew the old password or held a token made with it is out.
   */
  public boolean setPassword(String username, String password) {
    String hash = passwords.hash(password);
    return db.transaction(
        c -> {
          try (PreparedStatement u =
                  c.prepareStatement("UPDATE users SET password_hash = ? WHERE username = ?");
              PreparedStatement t =
                  c.prepareStatement(
                      "UPDATE api_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS"
                          + " NULL")) {
            Rows.bind(u, hash, username);
            if (u.executeUpdate() != 1) {
              return false;
            }
            Rows.bind(t, clock.instant(), username);
            t.executeUpdate();
            return true;
          }
        });
  }

  /**
   * Creates the user of {@code subject} (issuer and subject, as the provider names them) with
   * {@code role}, or gives the user it created before that role; never touches a local account or
   * another subject's user of the same name. Reads before it writes: an unchanged user costs no
   * write.
   */
  public External signInExternal(String username, String subject, Role role) {
    String marker = EXTERNAL_PREFIX + sha256(subject);
    Optional<String[]> row =
        db.read(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement("SELECT password_hash, role FROM users WHERE username = ?")) {
                Rows.bind(ps, username);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next()
                      ? Optional.of(new String[] {rs.getString(1), rs.getString(2)})
                      : Optional.<String[]>empty();
                }
              }
            });
    if (row.isPresent() && !row.get()[0].equals(marker)) {
      return External.TAKEN;
    }
    if (row.isPresent() && row.get()[1].equals(role.name())) {
      return External.UNCHANGED;
    }
    return db.transaction(
        c -> {
          try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?,"
                          + " ?, ?) ON CONFLICT (username) DO NOTHING");
              PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE users SET role = ? WHERE username = ? AND password_hash = ?")) {
            Rows.bind(insert, username, marker, role.name(), clock.instant());
            if (insert.executeUpdate() == 1) {
              return External.CREATED;
            }
            Rows.bind(update, role.name(), username, marker);
            return update.executeUpdate() == 1 ? External.UPDATED : External.TAKEN;
          }
        });
  }

  /** Gives a user another role; false when there is no such user. */
  public boolean setRole(String username, Role role) {
    return update("UPDATE users SET role = ? WHERE username = ?", role.name(), username) == 1;
  }

  /** Deletes a user and, with them, their tokens. */
  public boolean delete(String username) {
    return db.transaction(
            c -> {
              try (PreparedStatement t =
                      c.prepareStatement("DELETE FROM api_tokens WHERE username = ?");
                  PreparedStatement u =
                      c.prepareStatement("DELETE FROM users WHERE username = ?")) {
                Rows.bind(t, username);
                t.executeUpdate();
                Rows.bind(u, username);
                return u.executeUpdate();
              }
            })
        == 1;
  }

  public long countAdmins() {
    return list().stream().filter(u -> u.role() == Role.admin).count();
  }

  public Issued issue(String username, String name, Duration ttl) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    byte[] idBytes = new byte[9];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    update(
        "INSERT INTO api_tokens (id, token_hash, username, name, created_at, expires_at) VALUES"
            + " (?, ?, ?, ?, ?, ?)",
        id,
        sha256(token),
        username,
        name,
        now,
        expires);
    return new Issued(id, token, expires);
  }

  /**
   * A one-time sign-in code of {@code username} for the command line ({@code kc_} and 32 bytes),
   * bound to {@code binding} (its PKCE challenge). It is a row of the tokens, listed as {@code
   * name}, so that every api sharing this database can redeem it once; it never authenticates a
   * request: its stored hash is of the code and the binding, never of a token.
   */
  public String issueCode(String username, String name, String binding, Duration ttl) {
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String code = CODE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    byte[] idBytes = new byte[9];
    random.nextBytes(idBytes);
    Instant now = clock.instant();
    update(
        "INSERT INTO api_tokens (id, token_hash, username, name, created_at, expires_at) VALUES"
            + " (?, ?, ?, ?, ?, ?)",
        HexFormat.of().formatHex(idBytes),
        sha256(code + " " + binding),
        username,
        name,
        now,
        now.plus(ttl));
    return code;
  }

  /**
   * The user of {@code code} issued with {@code binding}, if it is unexpired and unused; it is used
   * up by this call (the first of concurrent redemptions wins).
   */
  public Optional<String> redeemCode(String code, String binding) {
    if (code == null || !code.startsWith(CODE_PREFIX) || binding == null) {
      return Optional.empty();
    }
    String hash = sha256(code + " " + binding);
    return db.transaction(
        c -> {
          try (PreparedStatement spend =
              c.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS"
                      + " NULL AND expires_at > ?")) {
            Instant now = clock.instant();
            Rows.bind(spend, now, hash, now);
            if (spend.executeUpdate() != 1) {
              return Optional.empty();
            }
          }
          try (PreparedStatement who =
              c.prepareStatement("SELECT username FROM api_tokens WHERE token_hash = ?")) {
            Rows.bind(who, hash);
            try (ResultSet rs = who.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  /** Who holds {@code token}, if it is known, unexpired and not revoked. */
  public Optional<Principal> authenticate(String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      return Optional.empty();
    }
    String hash = sha256(token);
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT t.id, t.username, u.role FROM api_tokens t JOIN users u ON u.username ="
                      + " t.username WHERE t.token_hash = ? AND t.revoked_at IS NULL AND"
                      + " t.expires_at > ?")) {
            Rows.bind(ps, hash, clock.instant());
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              String id = rs.getString(1);
              String username = rs.getString(2);
              return Role.parse(rs.getString(3)).map(role -> new Principal(username, role, id));
            }
          }
        });
  }

  public List<TokenInfo> tokens(String username) {
    return db.read(
        c -> {
          List<TokenInfo> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE"
                      + " username = ? ORDER BY created_at DESC, id")) {
            Rows.bind(ps, username);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new TokenInfo(
                        rs.getString("id"),
                        rs.getString("name"),
                        Rows.instant(rs, "created_at"),
                        Rows.instant(rs, "expires_at"),
                        Rows.instant(rs, "revoked_at")));
              }
            }
          }
          return out;
        });
  }

  /** Revokes a token of {@code username}; false when they have no such token. */
  public boolean revoke(String username, String tokenId) {
    return update(
            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND username = ? AND revoked_at IS"
                + " NULL",
            clock.instant(),
            tokenId,
            username)
        == 1;
  }

  private int update(String sql, Object... values) {
    return db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.bind(ps, values);
            return ps.executeUpdate();
          }
        });
  }

  static String sha256(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Expected SHA-256 in the JDK", e);
    }
  }
}
