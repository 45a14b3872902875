package io.kontroler.core.dag;

/** One parsed resource document: a DAG, a DagTask, a DagRun or a Kopf WorkFlow. */
public sealed interface Document {
  String API_VERSION = "kontroler.greedykomodo/v1alpha1";

  Metadata metadata();

  String kind();

  record Dag(Metadata metadata, DagSpec spec) implements Document {
    public String kind() {
      return "DAG";
    }
  }

  record DagTask(Metadata metadata, DagTaskSpec spec) implements Document {
    public String kind() {
      return "DagTask";
    }
  }

  record DagRun(Metadata metadata, DagRunSpec spec) implements Document {
    public String kind() {
      return "DagRun";
    }
  }

  record Workflow(Metadata metadata, WorkflowSpec spec, String apiVersion) implements Document {
    public String kind() {
      return "WorkFlow";
    }
  }
}
