// Targets of the same Makefiles that the suite does not run, and why. Only the internet (images
// on Docker Hub) keeps a Node.js or Python case out; the rest are runtimes and trigger kinds this
// project does not have, or targets whose files the original repository lacks.
import type { LeftOut } from './types.js';

export const leftOut: LeftOut[] = [
  {
    source: 'kubeless/runtimes stable/python',
    targets: ['custom-get-python'],
    why: 'needs the internet: --runtime-image pulls kubeless/get-python-example@sha256:… from Docker Hub',
  },
  {
    source: 'kubeless/kubeless examples',
    targets: ['custom-get-python', 'custom-get-python-update'],
    why: 'needs the internet: --runtime-image pulls kubeless/get-python-example@sha256:… from Docker Hub',
  },
  {
    source: 'kubeless/kubeless examples',
    targets: ['pubsub-python34', 'pubsub-python36'],
    why: 'their files (python/hellowithdata34.py, python/pubsub.py) are not in the original repository',
  },
  {
    source: 'kubeless/kubeless examples',
    targets: [
      'python-nats',
      'nats-python-func1-topic-test',
      'nats-python-func2-topic-test',
      'nats-python-func-multi-topic',
      'python-kinesis',
      'python-kinesis-multi-record',
    ],
    why: 'NATS and Kinesis triggers: this project has Kafka, HTTP and cron triggers only',
  },
  {
    source: 'kubeless/kubeless examples',
    targets: [
      'get-go*, timeout-go, post-go, pubsub-go',
      'get-ruby*, timeout-ruby, post-ruby, pubsub-ruby',
      'get-php*, timeout-php, post-php',
      'get-dotnetcore*, post-dotnetcore',
      'get-java*, post-java, get-jvm-java',
      'get-ballerina*',
    ],
    why: 'runtimes other than Node.js and Python: not in this project’s catalog',
  },
];
