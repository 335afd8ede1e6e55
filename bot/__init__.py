"""The Discord shell: commands, buttons and rendering over newsbot.service. Only this package imports discord."""
