{{- define "kontroler.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kontroler.labels" -}}
app.kubernetes.io/name: kontroler
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "kontroler.selector" -}}
app.kubernetes.io/name: kontroler
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kontroler.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Kafka settings every component shares: bootstrap servers, topics' partitions, client properties. */}}
{{- define "kontroler.kafkaEnv" -}}
- name: KONTROLER_KAFKA_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
{{- range $key, $value := .Values.kafka.properties }}
- name: {{ printf "KONTROLER_KAFKA_%s" ($key | upper | replace "." "_" | replace "-" "__") }}
  value: {{ $value | quote }}
{{- end }}
{{- if .Values.kafka.tls.enabled }}
- name: KONTROLER_KAFKA_SECURITY_PROTOCOL
  value: {{ .Values.kafka.properties.security_protocol | default "SSL" | quote }}
- name: KONTROLER_KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: KONTROLER_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: /etc/kontroler/kafka-tls/ca.crt
{{- end }}
{{- end -}}

{{- define "kontroler.kafkaEnvFrom" -}}
{{- if .Values.kafka.existingSecret }}
envFrom:
  - secretRef:
      name: {{ .Values.kafka.existingSecret }}
{{- end }}
{{- end -}}

{{- define "kontroler.s3Env" -}}
- name: KONTROLER_LOGS_STORE
  value: s3
- name: KONTROLER_LOGS_S3_BUCKET
  value: {{ .Values.s3.bucket | quote }}
- name: KONTROLER_LOGS_S3_REGION
  value: {{ .Values.s3.region | quote }}
{{- if .Values.s3.endpoint }}
- name: KONTROLER_LOGS_S3_ENDPOINT
  value: {{ .Values.s3.endpoint | quote }}
{{- end }}
- name: KONTROLER_LOGS_S3_PATH_STYLE
  value: {{ .Values.s3.pathStyle | quote }}
{{- if .Values.s3.existingSecret }}
- name: AWS_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef: {name: {{ .Values.s3.existingSecret }}, key: accessKeyId}
- name: AWS_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ .Values.s3.existingSecret }}, key: secretAccessKey}
{{- end }}
{{- end -}}

{{- define "kontroler.postgresEnv" -}}
- name: {{ .prefix }}_URL
  value: {{ .root.Values.postgresql.url | quote }}
- name: {{ .prefix }}_USER
  valueFrom:
    secretKeyRef: {name: {{ .root.Values.postgresql.existingSecret }}, key: {{ .root.Values.postgresql.userKey }}}
- name: {{ .prefix }}_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .root.Values.postgresql.existingSecret }}, key: {{ .root.Values.postgresql.passwordKey }}}
{{- end -}}

{{/* Probes on the component's health port (/health answers 200 once the component runs). */}}
{{- define "kontroler.probes" -}}
readinessProbe:
  httpGet: {path: {{ .path }}, port: {{ .port }}}
  periodSeconds: 5
  failureThreshold: 3
livenessProbe:
  httpGet: {path: {{ .livePath | default .path }}, port: {{ .port }}}
  initialDelaySeconds: 30
  periodSeconds: 10
  failureThreshold: 6
startupProbe:
  httpGet: {path: {{ .path }}, port: {{ .port }}}
  periodSeconds: 5
  failureThreshold: 60
{{- end -}}

{{- define "kontroler.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* How long finished runs stay retryable: read by the scheduler and the api. */}}
{{- define "kontroler.retentionEnv" -}}
- name: KONTROLER_SCHEDULER_FINISHED_RUN_RETENTION_MS
  value: {{ mul (int .Values.scheduler.finishedRunRetentionDays) 86400000 | quote }}
{{- end }}

{{/* Each deleting topic's retention.ms, applied by whatever creates the topics (the scheduler). */}}
{{- define "kontroler.topicRetentionEnv" -}}
{{- $days := .Values.kafka.topicRetentionDays }}
{{- range $env, $key := dict "COMMANDS" "commands" "TASK__LAUNCHES" "taskLaunches" "TASK__OUTCOMES" "taskOutcomes" "RUN__EVENTS" "runEvents" "DEAD__LETTERS" "deadLetters" }}
- name: KONTROLER_TOPICS_{{ $env }}_RETENTION_MS
  value: {{ include "kontroler.daysAsMs" (index $days $key) | quote }}
{{- end }}
{{- end }}

{{/* Days as milliseconds; -1 (forever) stays -1. */}}
{{- define "kontroler.daysAsMs" -}}
{{- if lt (int .) 0 }}-1{{ else }}{{ mul (int .) 86400000 }}{{ end }}
{{- end }}

{{/* The label that marks a namespace as one where tasks run: network policies exclude it. */}}
{{- define "kontroler.tasksLabel" -}}
kontroler.greedykomodo/tasks
{{- end }}

{{/* Kafka TLS material, mounted in every component (each one talks to Kafka). */}}
{{- define "kontroler.kafkaTlsMount" -}}
{{- if .Values.kafka.tls.enabled }}
- {name: kafka-tls, mountPath: /etc/kontroler/kafka-tls, readOnly: true}
{{- end }}
{{- end -}}

{{- define "kontroler.kafkaTlsVolume" -}}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-tls
  secret: {secretName: {{ required "kafka.tls.secretName is required with kafka.tls.enabled" .Values.kafka.tls.secretName }}}
{{- end }}
{{- end -}}

{{/* The pod policy (policy.pod.*), read by the api and the ingest at apply time and by the executor at launch. */}}
{{- define "kontroler.podPolicyEnv" -}}
- name: KONTROLER_POLICY_POD_ALLOW__HOST__PATH
  value: {{ .Values.podPolicy.allowHostPath | quote }}
- name: KONTROLER_POLICY_POD_ALLOW__PRIVILEGED
  value: {{ .Values.podPolicy.allowPrivileged | quote }}
- name: KONTROLER_POLICY_POD_ALLOW__HOST__NETWORK
  value: {{ .Values.podPolicy.allowHostNetwork | quote }}
- name: KONTROLER_POLICY_POD_ALLOW__HOST__PID
  value: {{ .Values.podPolicy.allowHostPID | quote }}
- name: KONTROLER_POLICY_POD_ALLOW__HOST__IPC
  value: {{ .Values.podPolicy.allowHostIPC | quote }}
- name: KONTROLER_POLICY_POD_CAPABILITIES
  value: {{ join "," .Values.podPolicy.capabilities | quote }}
- name: KONTROLER_POLICY_POD_SERVICE__ACCOUNTS
  value: {{ join "," .Values.podPolicy.serviceAccounts | quote }}
- name: KONTROLER_POLICY_POD_SECRETS
  value: {{ join "," .Values.podPolicy.secrets | quote }}
{{- end -}}

{{/*
Single sign-on for the api: the api.oidc.* keys as their environment variables (a dot is _, a dash
__), the client secret only through a secretKeyRef. Nothing while api.oidc.issuer is empty.
*/}}
{{- define "kontroler.oidcEnv" -}}
{{- $o := .Values.api.oidc -}}
{{- if not (kindIs "map" $o.clientSecret) }}
{{- fail "api.oidc.clientSecret takes {existingSecret, key}: the client secret comes from a Secret, never a plain value" }}
{{- end }}
{{- if $o.issuer }}
{{- if not $o.clientId }}
{{- fail "api.oidc.clientId is required with api.oidc.issuer" }}
{{- end }}
- name: KONTROLER_API_OIDC_ISSUER
  value: {{ $o.issuer | quote }}
- name: KONTROLER_API_OIDC_CLIENT__ID
  value: {{ $o.clientId | quote }}
{{- if $o.clientSecret.existingSecret }}
- name: KONTROLER_API_OIDC_CLIENT__SECRET
  valueFrom:
    secretKeyRef: {name: {{ $o.clientSecret.existingSecret | quote }}, key: {{ $o.clientSecret.key | quote }}}
{{- end }}
- name: KONTROLER_API_OIDC_SCOPES
  value: {{ join " " $o.scopes | quote }}
{{- with $o.displayName }}
- name: KONTROLER_API_OIDC_DISPLAY__NAME
  value: {{ . | quote }}
{{- end }}
{{- with $o.usernameClaim }}
- name: KONTROLER_API_OIDC_USERNAME__CLAIM
  value: {{ . | quote }}
{{- end }}
{{- with $o.redirectUri }}
- name: KONTROLER_API_OIDC_REDIRECT__URI
  value: {{ . | quote }}
{{- end }}
- name: KONTROLER_API_OIDC_ROLES_CLAIM
  value: {{ $o.roles.claim | quote }}
{{- with $o.roles.adminValues }}
- name: KONTROLER_API_OIDC_ROLES_ADMIN__VALUES
  value: {{ join "," . | quote }}
{{- end }}
{{- with $o.roles.editorValues }}
- name: KONTROLER_API_OIDC_ROLES_EDITOR__VALUES
  value: {{ join "," . | quote }}
{{- end }}
{{- with $o.roles.viewerValues }}
- name: KONTROLER_API_OIDC_ROLES_VIEWER__VALUES
  value: {{ join "," . | quote }}
{{- end }}
{{- with $o.roles.default }}
- name: KONTROLER_API_OIDC_ROLES_DEFAULT
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The pools value as the api's api.pools key: name=slots,… in the order of their names. */}}
{{- define "kontroler.pools" -}}
{{- $entries := list -}}
{{- range $name, $slots := . -}}
{{- if not (or (kindIs "float64" $slots) (kindIs "int" $slots) (kindIs "int64" $slots)) -}}
{{- fail (printf "pools.%s: expected a number of slots, but got %v" $name $slots) -}}
{{- end -}}
{{- if or (lt (int $slots) 0) (gt (int $slots) 10000) (ne (float64 (int $slots)) (float64 $slots)) -}}
{{- fail (printf "pools.%s: expected 0 to 10000 slots, but got %v" $name $slots) -}}
{{- end -}}
{{- $entries = append $entries (printf "%s=%d" $name (int $slots)) -}}
{{- end -}}
{{- join "," $entries -}}
{{- end -}}
