"""The survey's year cycle: setting up next year from this year's master (`kalk-excel nytt-aar`)."""
