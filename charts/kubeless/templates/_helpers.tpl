{{/* Names are fixed (not release-prefixed): the webhook's RBAC, flags and the APIService name
refer to them, and only one Kubeless can own the cluster-scoped CRDs and webhooks anyway. */}}

{{- define "kubeless.labels" -}}
app.kubernetes.io/name: kubeless
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "kubeless.selector" -}}
app.kubernetes.io/name: kubeless
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kubeless.image" -}}
{{ printf "%s/%s:%s" (trimSuffix "/" .Values.image.registry) .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end -}}

{{/* Hardened container: the image runs as the non-root "node" user (uid 1000). */}}
{{- define "kubeless.containerSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 1000
  runAsGroup: 1000
  readOnlyRootFilesystem: true
  allowPrivilegeEscalation: false
  capabilities:
    drop: [ALL]
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{- define "kubeless.podCommon" -}}
automountServiceAccountToken: true
securityContext:
  runAsNonRoot: true
  seccompProfile:
    type: RuntimeDefault
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The operator policy file (templates/policy-configmap.yaml), for --policy-file. */}}
{{- define "kubeless.policyChecksum" -}}
checksum/policy: {{ include (print .Template.BasePath "/policy-configmap.yaml") . | sha256sum }}
{{- end -}}

{{- define "kubeless.policyMount" -}}
- { name: policy, mountPath: /etc/kubeless/policy, readOnly: true }
{{- end -}}

{{- define "kubeless.policyVolume" -}}
- name: policy
  configMap: { name: kubeless-policy }
{{- end -}}
