"""A tiny copy of shared/data/winprob in the exact layout of each folder (headers copied from the real files).

Values are made up but shaped like the real rows, including their quirks: duplicated play rows and an
empty final ``win_prob`` (ncaab), floats for quarter scores (nba) and for ``home_final`` (nhl), an
``x`` for an unplayed bottom half (mlb), rows that must be skipped (a truncated ncaab log, an nfl team
named ``0``, an epl row whose full-time score is below its half-time score, an mlb line score that
does not add up).
"""

# ruff: noqa: E501  (the CSV header lines are copied verbatim from the real files)

from __future__ import annotations

import gzip
from pathlib import Path

NCAAB_GAMES = """game_id,date,home,away,home_favored_by,final_home,final_away,max_half,n_events,home_win
401000001,2018-11-08,Illinois,Evansville,16.0,70,60,2,6,1.0
401000002,2018-11-13,South Carolina,Georgetown,,80,82,3,6,0.0
401000003,2018-11-14,Truncated,Log,3.0,10,8,1,2,NA
"""
NCAAB_STATES = """game_id,half,secs_remaining,home_score,away_score,home_time_out_remaining,away_time_out_remaining,win_prob
401000001,1,2400,0,0,4,4,0.9116
401000001,1,2389,2,0,4,4,0.9130
401000001,1,2389,2,0,4,4,0.9130
401000001,1,1200,30,28,3,4,0.8500
401000001,2,600,55,50,2,3,0.8800
401000001,2,0,70,60,1,2,
401000002,1,2400,0,0,4,4,0.5000
401000002,1,1300,20,22,4,4,0.4500
401000002,2,0,70,70,2,1,0.5000
401000002,3,300,70,70,2,1,0.5000
401000002,3,120,76,79,1,1,0.2000
401000002,3,0,80,82,0,1,
401000003,1,2400,0,0,4,4,0.6
"""
NBA = """season,date,away,home,away_1q,home_1q,away_2q,home_2q,away_3q,home_3q,away_4q,home_4q,away_final,home_final,home_spread_close,total_close,home_spread_open,total_open,away_ml,home_ml,ot,home_prob_devig,home_win,spread_suspect
2014-15,2014-10-28,Dallas,SanAntonio,24.0,26.0,29.0,19.0,20.0,31.0,27.0,25.0,100,101,-3.5,203.5,-6.0,206.5,140,-165,False,0.5991,1,False
2014-15,2014-10-29,Milwaukee,Charlotte,24.0,25.0,33.0,21.0,26.0,22.0,17.0,32.0,106,108,-8.0,193.0,-9.0,192.0,315,-390,True,0.7676,1,False
2014-15,2014-10-30,LALakers,LAClippers,20.0,30.0,20.0,30.0,20.0,30.0,20.0,30.0,80,120,4.0,200.0,4.0,200.0,-150,130,False,0.4200,1,True
"""
NHL = """season,source_file,date,away,home,away_p1,home_p1,away_p2,home_p2,away_p3,home_p3,away_final,home_final,away_ml_open,home_ml_open,away_ml_close,home_ml_close,ot_or_so,home_win,home_prob_devig
2012-13,20122013VegasOdds.csv,2013-01-19,Pittsburgh,Philadelphia,2,0,0,1,1,0,3,1.0,-115.0,-105.0,-110.0,-110.0,False,0,0.5
2012-13,20122013VegasOdds.csv,2013-01-19,Columbus,Nashville,1,2,1,0,0,0,3,2.0,162.0,-182.0,150.0,-170.0,True,0,0.6115
2013-14,20132014VegasOdds.csv,2014-04-09,Columbus,Dallas,3,0,0,0,0,1,3,1.0,,,,,False,0,
"""
NFL = """season,date,home_team,away_team,home_q1,away_q1,home_q2,away_q2,home_q3,away_q3,home_q4,away_q4,home_final,away_final,home_close_ml,away_close_ml,home_open_spread,away_open_spread,home_close_spread,away_close_spread,home_2H_spread,away_2H_spread,2H_total,open_over_under,close_over_under,ot,home_prob_devig,home_win,spread_suspect
2011,2011-09-08,Packers,Saints,21,7,7,10,7,10,7,7,42,34,-250,210,-4.5,4.5,-5.0,5.0,-24.5,24.5,0.0,46.0,48.0,False,0.6889,1.0,False
2011,2011-09-11,0,Steelers,14,0,7,7,11,0,3,0,35,7,-120,100,-2.5,2.5,-1.0,1.0,-19.5,19.5,3.0,37.0,37.0,False,0.5217,1.0,False
2011,2011-09-18,Ravens,Titans,0,3,7,7,3,0,7,7,17,17,-300,240,-6.5,6.5,44.0,-44.0,0.0,0.0,0.0,44.0,44.0,True,0.7200,0.5,True
"""
EPL = """season,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,HTR,HS,AS,HST,AST,HR,AR,B365H,B365D,B365A,PSH,PSD,PSA,PSCH,PSCD,PSCA,AvgH,AvgD,AvgA,AvgCH,AvgCD,AvgCA,BbAvH,BbAvD,BbAvA,AHh,AHCh,BbAHh,p_b365_home,p_b365_draw,p_b365_away,p_pinn_close_home,p_pinn_close_draw,p_pinn_close_away
2000-01,2000-08-19,,Charlton,Man City,4,0,H,2,0,H,17,8,14,4,0,0,,,,,,,,,,,,,,,,,,,,,,,,,,,
2021-22,2022-05-22,16:00,Liverpool,Wolves,3,1,H,1,1,D,29,7,8,5,0,0,1.14,8.5,15.0,1.15,8.49,21.36,1.14,9.75,19.0,1.16,8.12,18.95,1.14,9.22,19.12,,,,-2.0,-2.5,,0.8264,0.1108,0.0628,0.8497,0.0993,0.051
2021-22,2022-05-22,16:00,Norwich,Tottenham,0,1,A,0,2,A,9,19,0,13,0,0,9.5,6.5,1.25,11.2,6.23,1.27,9.82,5.51,1.34,11.19,6.45,1.26,9.99,5.59,1.31,,,,1.75,1.5,,0.0994,0.1453,0.7554,0.0989,0.1763,0.7248
"""
MLB_LINES = """date,game_num,visitor,home,visitor_runs,home_runs,outs_in_game,n_innings,visitor_line,home_line,home_win
20190328,0,PIT,CIN,3,5,51,9,0 0 0 0 0 2 0 1 0,0 1 0 0 0 0 4 0 x,1
20190321,0,SEA,OAK,5,4,72,12,0 2 1 0 0 0 1 0 0 0 0 1,0 0 0 0 2 0 2 0 0 0 0 0,0
20190329,0,NYA,BOS,9,10,54,9,1 1 1 1 1 1 1 1 1,1 1 1 1 1 1 1 1 1,0
"""
MLB_TABLE = """batting_team,half,inning,outs,runner_1b,runner_2b,runner_3b,base_code,run_diff_batting,n_situations,n_batting_team_won,win_pct_batting
visitor,top,1,0,0,0,0,1,0,185601,85250,0.4593
home,bottom,1,0,0,0,0,1,0,133417,79229,0.5938
home,bottom,1,0,0,0,0,1,-40,5,0,0.0
"""


def write_winprob(root: Path) -> Path:
    """Write the synthetic folders under ``root`` and return ``root``."""
    files = {
        "ncaab_pbp_2018_19/games.csv": NCAAB_GAMES,
        "nba_quarters_lines/nba_games_quarters_lines.csv": NBA,
        "nhl_periods_lines/nhl_games_periods_lines.csv": NHL,
        "nfl_quarters_lines/nfl_games_quarters_lines.csv": NFL,
        "epl_ht_ft_odds/epl_matches_ht_ft_odds.csv": EPL,
        "mlb/mlb_2019_game_linescores.csv": MLB_LINES,
        "mlb/mlb_win_expectancy_table.csv": MLB_TABLE,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with gzip.open(root / "ncaab_pbp_2018_19/states.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(NCAAB_STATES)
    return root
