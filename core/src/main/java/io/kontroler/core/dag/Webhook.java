package io.kontroler.core.dag;

/** Where task and run events of a DAG are POSTed, and whether its TLS certificate is checked. */
public record Webhook(String url, boolean verifySSL) {}
