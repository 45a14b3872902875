package io.kontroler.api.boundarysample;

import io.kontroler.scheduler.Scheduler;

/** Breaks the adapter boundary on purpose: the api reaching into the scheduler. */
public final class ApiCallingTheScheduler {
  public Class<?> reach() {
    return Scheduler.class;
  }
}
