{{/* Full name: the release name if it contains "wdrf", else "<release>-wdrf"; at most 63 characters. */}}
{{- define "wdrf.fullname" -}}
{{- if contains "wdrf" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-wdrf" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object (the first two are the ones of deploy/kubernetes). */}}
{{- define "wdrf.labels" -}}
app.kubernetes.io/name: wdrf
app.kubernetes.io/part-of: wdrf
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Selector of the controller pods. */}}
{{- define "wdrf.selectorLabels" -}}
app.kubernetes.io/name: wdrf
app.kubernetes.io/component: controller
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "wdrf.leaseName" -}}
{{ include "wdrf.fullname" . }}-controller
{{- end -}}

{{- define "wdrf.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{/*
The controller configuration: .Values.wdrf with the keys that must match other objects of the release forced
(lease name/namespace = the Role's, http.port = the container port). Rendered as JSON, which is valid HOCON.
*/}}
{{- define "wdrf.config" -}}
{{- $cfg := deepCopy .Values.wdrf -}}
{{- $le := index $cfg "leader-election" | default dict -}}
{{- if and (gt (int .Values.replicas) 1) (not $le.enabled) -}}
{{- fail (printf "replicas = %d needs wdrf.leader-election.enabled = true: without it every replica writes priorities" (int .Values.replicas)) -}}
{{- end -}}
{{- $_ := set $le "lease-name" (include "wdrf.leaseName" .) -}}
{{- $_ := set $le "lease-namespace" .Release.Namespace -}}
{{- $_ := set $cfg "leader-election" $le -}}
{{- $http := index $cfg "http" | default dict -}}
{{- $_ := set $http "port" (int .Values.service.port) -}}
{{- $_ := set $cfg "http" $http -}}
{{- dict "wdrf" $cfg | toPrettyJson -}}
{{- end -}}

{{/* A CEL list literal of single-quoted strings; refuses values that would need escaping. */}}
{{- define "wdrf.celList" -}}
{{- $out := list -}}
{{- range . -}}
{{- if regexMatch "['\\\\\\n]" . -}}
{{- fail (printf "admissionPolicy: %q contains a quote, backslash or newline" .) -}}
{{- end -}}
{{- $out = append $out (printf "'%s'" .) -}}
{{- end -}}
[{{ join ", " $out }}]
{{- end -}}

{{/* true when the value is true, or "auto" and the cluster serves the given API (group/version/kind). */}}
{{- define "wdrf.enabled" -}}
{{- $v := index . 0 -}}
{{- $api := index . 1 -}}
{{- $caps := index . 2 -}}
{{- if or (eq (toString $v) "true") (and (eq (toString $v) "auto") ($caps.APIVersions.Has $api)) -}}
true
{{- end -}}
{{- end -}}
