package io.kontroler.api.auth;

/** Who made a request: the user, their role, and the id of the token they presented. */
public record Principal(String username, Role role, String tokenId) {}
