{{/* Names and labels. */}}
{{- define "logbridge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "logbridge.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "logbridge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "logbridge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "logbridge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "logbridge.labels" -}}
helm.sh/chart: {{ include "logbridge.chart" . }}
{{ include "logbridge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: bridge
app.kubernetes.io/part-of: logbridge
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "logbridge.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "logbridge.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "logbridge.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the REST tokens: worker.restAuth.existingSecret, or the one the chart generates. */}}
{{- define "logbridge.restAuthSecret" -}}
{{- default (printf "%s-rest-auth" (include "logbridge.fullname" .)) .Values.worker.restAuth.existingSecret -}}
{{- end -}}

{{/* Directories whose files REST callers' connectors may name: the Secret's mount and the extra volume mounts. */}}
{{- define "logbridge.allowedPaths" -}}
{{- $paths := list -}}
{{- if .Values.secrets.existingSecret -}}{{- $paths = append $paths (include "logbridge.secretsPath" .) -}}{{- end -}}
{{- range .Values.extraVolumeMounts -}}{{- $paths = append $paths .mountPath -}}{{- end -}}
{{- join "," $paths -}}
{{- end -}}

{{/* Fixed paths inside the pod (documented in README.md; connectors refer to them). */}}
{{- define "logbridge.secretsPath" -}}/var/run/secrets/logbridge{{- end -}}
{{- define "logbridge.connectorsPath" -}}/etc/logbridge/connectors{{- end -}}
{{- define "logbridge.workerConfigPath" -}}/etc/logbridge/worker{{- end -}}

{{/*
A Kubernetes memory quantity (Ki, Mi, Gi, Ti, k, M, G, T or bytes) in MiB, rounded down.
*/}}
{{- define "logbridge.memoryMiB" -}}
{{- $quantity := toString . -}}
{{- $digits := regexFind "^[0-9]+" $quantity -}}
{{- $unit := trimPrefix $digits $quantity -}}
{{- $n := int64 $digits -}}
{{- $factors := dict "" 1 "k" 1000 "K" 1000 "Ki" 1024 "M" 1000000 "Mi" 1048576 "G" 1000000000 "Gi" 1073741824 "T" 1000000000000 "Ti" 1099511627776 -}}
{{- if not (hasKey $factors $unit) -}}
{{- fail (printf "resources.limits.memory %q: use a quantity such as 512Mi or 1Gi" $quantity) -}}
{{- end -}}
{{- div (mul $n (get $factors $unit)) 1048576 -}}
{{- end -}}

{{/* The V8 old-space limit, MiB: heap.maxOldSpaceSizeMiB, or a quarter of the memory limit. */}}
{{- define "logbridge.maxOldSpaceMiB" -}}
{{- $limitMiB := include "logbridge.memoryMiB" .Values.resources.limits.memory | int64 -}}
{{- if kindIs "invalid" .Values.heap.maxOldSpaceSizeMiB -}}
{{- div $limitMiB 4 -}}
{{- else -}}
{{- .Values.heap.maxOldSpaceSizeMiB | int64 -}}
{{- end -}}
{{- end -}}

{{/* A connector's definition file: {"name": …, "config": {…}} with string values. */}}
{{- define "logbridge.connectorJson" -}}
{{- $config := dict -}}
{{- range $key, $value := .config -}}
{{- $_ := set $config $key (toString $value) -}}
{{- end -}}
{{- toPrettyJson (dict "name" .name "config" $config) -}}
{{- end -}}

{{/* The worker settings file (convict; LOGBRIDGE_* environment variables set in the pod win). */}}
{{- define "logbridge.workerJson" -}}
{{- toPrettyJson (dict "log" (dict "level" .Values.worker.logLevel) "rest" (dict "port" 8083)) -}}
{{- end -}}
