import sys
root='/work/wt-outages/'
edits=[
 ('TaskWorker/Messaging/KafkaDelivery.cs','            e => e is KafkaException,','            e => false,'),
 ('TaskWorker/Sms/SmsSendHandler.cs','MessagesSendDeadLetter, record, rejection, cancellationToken);\n            return;','MessagesSendDeadLetter, record, rejection, cancellationToken);\n            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);\n            return;'),
 ('TaskWorker/Email/EmailSendHandler.cs','EmailsSendDeadLetter, record, rejection, cancellationToken);\n            return;','EmailsSendDeadLetter, record, rejection, cancellationToken);\n            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);\n            return;'),
]
for p,a,b in edits:
    s=open(root+p).read(); assert a in s,(p); open(root+p,'w').write(s.replace(a,b))
print('mutated')
