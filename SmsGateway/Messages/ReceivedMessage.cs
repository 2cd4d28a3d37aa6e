namespace SmsGateway.Messages;

/// <summary>
/// What the gateway knows of one id: the phone and text of its latest send, when that arrived and what it was
/// answered (200 or 500), and how many sends with this id arrived in all (retries and duplicates included).
/// </summary>
public sealed record ReceivedMessage(long Id, long Phone, string Text, DateTimeOffset ReceivedAt, int TimesReceived, int LastAnswer);

/// <summary>
/// A page of the received messages, newest first. <see cref="Total"/> counts the ids held; <see cref="Duplicates"/>
/// the sends beyond each id's first.
/// </summary>
public sealed record MessagesPage(int Total, long Duplicates, IReadOnlyList<ReceivedMessage> Items);
