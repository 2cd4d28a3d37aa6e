using System.Text;

namespace Tasks.Shared;

/// <summary>Message keys are UTF-8 bytes on the wire; ours are entity ids.</summary>
public static class MessageKeys
{
    public static byte[] For(Guid id) => Encoding.UTF8.GetBytes(id.ToString());

    public static byte[] For(long id) => Encoding.UTF8.GetBytes(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
