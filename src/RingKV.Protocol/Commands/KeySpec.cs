namespace RingKV.Protocol.Commands;

/// <summary>
/// Where a command's keys are, as COMMAND INFO's key specs describe them (Redis 7): the keys start at argument
/// <see cref="BeginIndex"/> and run to <see cref="LastKey"/> (relative to it; -1 = the last argument) every
/// <see cref="KeyStep"/> arguments. Only the <c>index</c> + <c>range</c> kind exists here; RingKV serves no command
/// that needs the keyword or keynum kinds.
/// </summary>
/// <param name="Flags">Access flags in Redis' order (<c>RO</c>, <c>RW</c>, <c>OW</c>, <c>RM</c>, then <c>access</c>,
/// <c>update</c>, <c>insert</c>, <c>delete</c>, ...).</param>
public sealed record KeySpec(int BeginIndex, int LastKey, int KeyStep, IReadOnlyList<string> Flags);
