using System.Text;

namespace OpenList.DriverHost.Drivers.Relay;

/// <summary>Reasons the relay passes on travel as JSON text to other programs and people: short, one line, no markup.</summary>
public static class RelayText
{
    public const int MaxLength = 300;

    public static string Plain(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        foreach (var c in text)
        {
            if (builder.Length >= MaxLength)
            {
                break;
            }

            builder.Append(char.IsControl(c) || c is '<' or '>' ? ' ' : c);
        }

        return builder.ToString().Trim();
    }
}
