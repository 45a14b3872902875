package io.kontroler.logstore.boundarysample;

import io.kontroler.api.ApiServer;

/** Breaks the adapter boundary on purpose: the log store reaching into the api. */
public final class LogStoreCallingTheApi {
  public Class<?> reach() {
    return ApiServer.class;
  }
}
